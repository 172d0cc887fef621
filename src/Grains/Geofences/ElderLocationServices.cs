using ElderIoT.Telemetry.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Geofences;

/// <summary>What the elder grain needs for zones, locate-now and visits, bundled so its constructor stays small.</summary>
public sealed class ElderLocationServices(
    IOptions<GeofenceOptions> options,
    GeofenceMetrics metrics,
    ITelemetryWriter history,
    ILoggerFactory loggers)
{
    public GeofenceOptions Options => options.Value;

    public GeofenceMetrics Metrics => metrics;

    /// <summary>The elder's history (<c>GET /api/elders/{id}/events</c>) is the telemetry store's event series.</summary>
    public ITelemetryWriter History => history;

    public ILogger Logger { get; } = loggers.CreateLogger("ElderIoT.Grains.Geofences");
}
