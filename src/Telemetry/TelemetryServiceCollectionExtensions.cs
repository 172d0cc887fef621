using ElderIoT.Hosting;
using ElderIoT.Telemetry.Embedded;
using ElderIoT.Telemetry.Influx;
using ElderIoT.Telemetry.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Telemetry;

/// <summary>Composes the time-series store and the batched writer.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The store named by <c>Telemetry:Store</c> (embedded SQLite by default, or InfluxDB), the
    /// batched writer with its disk spool under <c>Storage:DataDirectory</c>, and their metrics.
    /// </summary>
    public static IServiceCollection AddElderIoTTelemetry(this IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName)
            .Validate(o => o.Store is "embedded" or "influxdb", "Telemetry:Store must be embedded or influxdb.")
            .Validate(o => o.BatchSize > 0 && o.QueueCapacity >= o.BatchSize, "Telemetry:QueueCapacity must be at least Telemetry:BatchSize, both positive.")
            .Validate(o => o.BatchAge > TimeSpan.Zero && o.Retention > TimeSpan.Zero && o.MaxQuerySpan > TimeSpan.Zero, "Telemetry:BatchAge, Retention and MaxQuerySpan must be positive.")
            .Validate(o => o.WalSegmentBytes >= 64 * 1024 && !string.IsNullOrWhiteSpace(o.WalDirectory), "Telemetry:WalSegmentBytes must be at least 65536 and Telemetry:WalDirectory set.")
            .Validate(o => o.InfluxDb.Url.IsAbsoluteUri && !string.IsNullOrWhiteSpace(o.InfluxDb.Database), "Telemetry:InfluxDb:Url must be absolute and Database set.")
            .Validate(o => o.InfluxDb.Version is 1 or 2, "Telemetry:InfluxDb:Version must be 1 (InfluxDB 1.x) or 2 (InfluxDB 2.x and 3.x).")
            .Validate(o => o.Store != "influxdb" || o.InfluxDb.Version == 1 || (!string.IsNullOrWhiteSpace(o.InfluxDb.Org) && !string.IsNullOrWhiteSpace(o.InfluxDb.Token)),
                "Telemetry:InfluxDb:Version 2 needs Telemetry:InfluxDb:Org and Telemetry:InfluxDb:Token.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TelemetryMetrics>();
        // The client enforces its own timeout (InfluxDb:Timeout), so the handler's is off.
        services.AddHttpClient(InfluxDbClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<InfluxDbClient>();
        services.AddSingleton<IInfluxWriter>(sp => sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.InfluxDb.Version == 1
            ? new InfluxV1Writer(sp.GetRequiredService<InfluxDbClient>())
            : ActivatorUtilities.CreateInstance<InfluxV2Writer>(sp));
        services.AddSingleton<ITelemetryStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelemetryOptions>>();
            return options.Value.Store == "influxdb"
                ? new InfluxDbTelemetryStore(sp.GetRequiredService<InfluxDbClient>(), sp.GetRequiredService<IInfluxWriter>(), options)
                : new EmbeddedTelemetryStore(Path.Combine(DataDirectory(sp), "telemetry.db"), options, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new TelemetrySpool(
            Path.Combine(DataDirectory(sp), sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.SpoolDirectory), sp.GetRequiredService<TelemetryMetrics>()));
        services.TryAddSingleton<WorkerMetrics>();
        services.AddSingleton<ITelemetryWal>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            return new TelemetryWal(
                Path.Combine(DataDirectory(sp), options.WalDirectory), options.WalSegmentBytes,
                sp.GetRequiredService<TelemetryMetrics>(), sp.GetRequiredService<ILogger<TelemetryWal>>());
        });
        services.AddSingleton<TelemetryWriter>();
        services.AddSingleton<ITelemetryWriter>(sp => sp.GetRequiredService<TelemetryWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryWriter>());
        return services;
    }

    /// <summary>Whether the write-ahead log's folder takes a durable write now (null) or why not.</summary>
    public static async Task<string?> ProbeTelemetryLogAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<ITelemetryWal>() is var wal && await StorageProbe.TryWriteAsync(wal.Directory, cancellationToken) is { } failure
            ? $"the telemetry write-ahead log ({wal.Directory}) cannot be written: {failure}"
            : null;

    /// <summary>The node's data folder (<c>Storage:DataDirectory</c>), shared with the records.</summary>
    private static string DataDirectory(IServiceProvider services) =>
        Path.GetFullPath(services.GetRequiredService<IConfiguration>()["Storage:DataDirectory"] ?? "data");
}
