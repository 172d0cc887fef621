using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ElderIoT.Telemetry.Influx;

/// <summary>
/// InfluxDB's v1 HTTP API, the two calls we need: <c>POST /write</c> (line protocol, ns precision: see <see cref="TelemetryPoints.Nanoseconds"/>) and
/// <c>/query</c> (InfluxQL, epoch ms). Works with 1.x and with the v1-compatible API of 2.x and 3.x.
/// </summary>
public sealed class InfluxDbClient(IHttpClientFactory httpClients, IOptions<TelemetryOptions> options)
{
    public const string HttpClientName = "influxdb";

    private InfluxDbOptions Settings => options.Value.InfluxDb;

    /// <summary>Writes line protocol. Throws <see cref="TelemetryStoreUnavailableException"/> when worth retrying later.</summary>
    public async Task WriteAsync(string lineProtocol, CancellationToken cancellationToken)
    {
        var query = $"db={Uri.EscapeDataString(Settings.Database)}&precision=ns";
        if (!string.IsNullOrEmpty(Settings.RetentionPolicy))
        {
            query += $"&rp={Uri.EscapeDataString(Settings.RetentionPolicy)}";
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Settings.Url, $"write?{query}"))
        {
            Content = new StringContent(lineProtocol, Encoding.UTF8, "text/plain"),
        };
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            throw new TelemetryRejectedException($"InfluxDB refused the points: {await ErrorOf(response, cancellationToken)}");
        }

        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Runs one InfluxQL statement and returns its series (empty when there is no data).</summary>
    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string influxQl, CancellationToken cancellationToken, bool write = false)
    {
        var form = new Dictionary<string, string> { ["q"] = influxQl, ["db"] = Settings.Database, ["epoch"] = "ms" };
        using var request = new HttpRequestMessage(write ? HttpMethod.Post : HttpMethod.Get, new Uri(Settings.Url, "query"));
        if (write)
        {
            request.Content = new FormUrlEncodedContent(form);
        }
        else
        {
            request.RequestUri = new Uri(Settings.Url, "query?" + string.Join('&', form.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}")));
        }

        using var response = await SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var series = new List<InfluxSeries>();
        foreach (var result in json.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"InfluxQL failed: {error.GetString()} ({influxQl})");
            }

            if (!result.TryGetProperty("series", out var list))
            {
                continue;
            }

            foreach (var s in list.EnumerateArray())
            {
                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
                var rows = s.TryGetProperty("values", out var values)
                    ? values.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.Clone()).ToArray()).ToList()
                    : [];
                series.Add(new InfluxSeries(s.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "", columns, rows));
            }
        }

        return series;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(Settings.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", Settings.Token);
        }
        else if (!string.IsNullOrEmpty(Settings.Username))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Settings.Username}:{Settings.Password}")));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.Timeout);
        try
        {
            // A client per call from the factory: its handlers are pooled and rotated, never held for the process's life.
            return await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TelemetryStoreUnavailableException($"InfluxDB at {Settings.Url} did not answer within {Settings.Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException exception)
        {
            throw new TelemetryStoreUnavailableException($"InfluxDB at {Settings.Url} is unreachable: {exception.Message}", exception);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new TelemetryStoreUnavailableException($"InfluxDB answered {(int)response.StatusCode}: {await ErrorOf(response, cancellationToken)}");
        }
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Length > 500 ? body[..500] : body;
    }
}

/// <summary>One series of a query result: column names and rows.</summary>
public sealed record InfluxSeries(string Name, IReadOnlyList<string> Columns, IReadOnlyList<JsonElement[]> Rows)
{
    public int Column(string name) => Columns.ToList().IndexOf(name);
}
