using ElderIoT.Hosting;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>A telemetry writer composed as the node composes it, outside a node.</summary>
internal static class TestWriters
{
    public static TelemetryWriter Create(
        ITelemetryStore store, TelemetrySpool spool, TelemetryMetrics metrics, IOptions<TelemetryOptions> options,
        ITelemetryWal? wal = null, ILoggerFactory? logs = null)
    {
        logs ??= NullLoggerFactory.Instance;
        wal ??= new TelemetryWal(RepoPaths.TempDirectory("wal"), options.Value.WalSegmentBytes, metrics, logs.CreateLogger<TelemetryWal>());
        return new TelemetryWriter(store, spool, wal, metrics, new WorkerMetrics(new TestMeters()), options, logs.CreateLogger<TelemetryWriter>());
    }
}
