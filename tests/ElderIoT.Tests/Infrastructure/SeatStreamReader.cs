using System.Text.Json;
using System.Threading.Channels;
using ElderIoT.Contracts.Seats;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>Reads a seat's Server-Sent Events stream over real HTTP, as a dashboard would.</summary>
internal sealed class SeatStreamReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<(string Event, SeatAlarmNotice Notice)> _events = Channel.CreateUnbounded<(string, SeatAlarmNotice)>();
    private readonly Task _reading;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<string> _comments = Channel.CreateUnbounded<string>();
    private readonly Channel<(string Event, JsonElement Data)> _others = Channel.CreateUnbounded<(string, JsonElement)>();

    /// <summary>Events whose data is not an alarm notice: the day's live figures, outages.</summary>
    private static readonly HashSet<string> NotNotices = ["service_level", "outage"];

    private SeatStreamReader(HttpClient http, string seatId)
    {
        _reading = Task.Run(() => ReadAsync(http, seatId));
    }

    public static async Task<SeatStreamReader> OpenAsync(HttpClient http, string seatId)
    {
        var reader = new SeatStreamReader(http, seatId);
        await reader._connected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        // The subscription is made when the server starts the response body; give it a moment to land.
        await Task.Delay(200);
        return reader;
    }

    /// <summary>The next event matching the filter; earlier non-matching ones are skipped.</summary>
    public async Task<(string Event, SeatAlarmNotice Notice)> NextAsync(Func<string, SeatAlarmNotice, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var item = await _events.Reader.ReadAsync(cts.Token);
                if (match(item.Event, item.Notice))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("No matching event arrived on the seat stream in time.");
        }
    }

    /// <summary>The next event named <paramref name="eventName"/> (service_level, outage) whose data matches; earlier ones are skipped.</summary>
    public async Task<JsonElement> NextDataAsync(string eventName, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var (name, data) = await _others.Reader.ReadAsync(cts.Token);
                if (name == eventName && (match is null || match(data)))
                {
                    return data;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"No matching '{eventName}' event arrived on the seat stream in time.");
        }
    }

    /// <summary>The next SSE comment line (such as ": keep-alive").</summary>
    public async Task<string> NextCommentAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        return await _comments.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadAsync(HttpClient http, string seatId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/seats/{seatId}/stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        _connected.TrySetResult();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
        string? eventName = null;
        while (!_stop.IsCancellationRequested && await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName is not null && NotNotices.Contains(eventName))
            {
                await _others.Writer.WriteAsync((eventName, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var notice = JsonSerializer.Deserialize<SeatAlarmNotice>(line["data: ".Length..], TestNode.Json)!;
                await _events.Writer.WriteAsync((eventName ?? "message", notice));
            }
            else if (line.StartsWith(':'))
            {
                await _comments.Writer.WriteAsync(line);
            }
            else if (line.Length == 0)
            {
                eventName = null;
            }
        }
    }
}
