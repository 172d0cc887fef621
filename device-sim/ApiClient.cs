using System.Net.Http.Json;
using System.Text.Json;

namespace ElderIoT.DeviceSim;

/// <summary>The REST calls device-sim makes, as a dashboard would.</summary>
internal sealed class ApiClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Guid> CreateElderAsync(object body, CancellationToken cancellationToken)
    {
        var created = await PostAsync("/api/elders", body, cancellationToken);
        return created.GetProperty("id").GetGuid();
    }

    public async Task<string> RegisterDeviceAsync(string id, string kind, Guid elderId, CancellationToken cancellationToken)
    {
        var registration = await PostAsync("/api/devices", new { id, kind, elderId }, cancellationToken);
        return registration.GetProperty("secret").GetString()!;
    }

    /// <summary>True when the node knows the device (a credentials file may be from a database since dropped).</summary>
    public async Task<bool> DeviceExistsAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/devices/{Uri.EscapeDataString(id)}", cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public Task GoOnlineAsync(string seat, string district, CancellationToken cancellationToken) =>
        PostAsync($"/api/seats/{Uri.EscapeDataString(seat)}/online", new { districts = new[] { district } }, cancellationToken);

    public Task GoOfflineAsync(string seat, CancellationToken cancellationToken) =>
        PostAsync($"/api/seats/{Uri.EscapeDataString(seat)}/offline", new { }, cancellationToken);

    /// <summary>Adds a zone (a GeoJSON Feature) to an elder.</summary>
    public Task CreateGeofenceAsync(Guid elderId, object feature, CancellationToken cancellationToken) =>
        PostAsync($"/api/elders/{elderId}/geofences", feature, cancellationToken);

    /// <summary>Locate-now: the answer's status (fresh, stale, unknown).</summary>
    public async Task<string> LocateAsync(Guid elderId, double waitSeconds, CancellationToken cancellationToken) =>
        (await PostAsync(FormattableString.Invariant($"/api/elders/{elderId}/locate?wait={waitSeconds}"), new { }, cancellationToken)).GetProperty("status").GetString()!;

    /// <summary>Takes the alarm as the token's seat (the API never takes a seat id from a request).</summary>
    public Task AcceptAsync(Guid alarmId, CancellationToken cancellationToken) =>
        PostAsync($"/api/alarms/{alarmId}/accept", new { }, cancellationToken);

    public Task ResolveAsync(Guid alarmId, CancellationToken cancellationToken) =>
        PostAsync($"/api/alarms/{alarmId}/resolve", new { outcome = "test", notes = "device-sim run" }, cancellationToken);

    /// <summary>The kinds of the elder's alarms (snake_case), newest first.</summary>
    public async Task<IReadOnlyList<string>> AlarmKindsAsync(Guid elderId, CancellationToken cancellationToken)
    {
        var alarms = await http.GetFromJsonAsync<JsonElement>($"/api/alarms?elderId={elderId}", Json, cancellationToken);
        return [.. alarms.EnumerateArray().Select(a => a.GetProperty("alarm").GetProperty("kind").GetString()!)];
    }

    /// <summary>Mass outages in progress and recently ended: (scope, peak).</summary>
    public async Task<IReadOnlyList<(string Scope, int Peak)>> OutagesAsync(CancellationToken cancellationToken)
    {
        var outages = await http.GetFromJsonAsync<JsonElement>("/api/outages", Json, cancellationToken);
        return [.. outages.EnumerateArray().Select(o => (o.GetProperty("scope").GetString()!, o.GetProperty("peak").GetInt32()))];
    }

    /// <summary>Sets a device's own expected reporting interval, so a silent scenario is judged within the run.</summary>
    public async Task SetReportEveryAsync(string deviceId, int seconds, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"/api/devices/{Uri.EscapeDataString(deviceId)}/supervision", new { reportEverySeconds = seconds }, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Reads the seat's Server-Sent Events until cancelled, handing each (event, data) to the callback.</summary>
    public async Task ListenAsync(string seat, Action<string, JsonElement> onEvent, TaskCompletionSource connected, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/seats/{Uri.EscapeDataString(seat)}/stream", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        connected.TrySetResult();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var eventName = "message";
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                onEvent(eventName, JsonSerializer.Deserialize<JsonElement>(line[6..]));
            }
            else if (line.Length == 0)
            {
                eventName = "message";
            }
        }
    }

    private async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, Json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
    }
}
