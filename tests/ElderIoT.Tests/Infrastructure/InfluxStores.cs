using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Influx;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>The InfluxDB store as the node composes it for a 1.x server (Debian's influxd).</summary>
internal static class InfluxStores
{
    public static InfluxDbTelemetryStore V1(IOptions<TelemetryOptions> options)
    {
        var client = new InfluxDbClient(new SingleClientFactory(), options);
        return new InfluxDbTelemetryStore(client, new InfluxV1Writer(client), options);
    }
}

/// <summary>One HttpClient for code that asks a factory: a plain one, or one over a test's handler.</summary>
internal sealed class SingleClientFactory(HttpMessageHandler? handler = null) : IHttpClientFactory
{
    private static readonly HttpClient Plain = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly HttpClient _http = handler is null ? Plain : new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

    public HttpClient CreateClient(string name) => _http;
}
