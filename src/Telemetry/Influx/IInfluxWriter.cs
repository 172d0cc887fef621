using InfluxDB.Client.Writes;

namespace ElderIoT.Telemetry.Influx;

/// <summary>
/// Writes points to InfluxDB by the API the server speaks (<see cref="InfluxDbOptions.Version"/>): 1.x
/// <c>/write</c>, or 2.x/3.x <c>/api/v2/write</c>. Throws <see cref="TelemetryStoreUnavailableException"/>
/// when worth retrying later and <see cref="TelemetryRejectedException"/> when the server refuses the points.
/// </summary>
public interface IInfluxWriter
{
    Task WriteAsync(IReadOnlyList<PointData> points, CancellationToken cancellationToken);
}

/// <summary>InfluxDB 1.x (Debian's influxd 1.6.7 has no /api/v2): line protocol to <c>/write</c>.</summary>
internal sealed class InfluxV1Writer(InfluxDbClient influx) : IInfluxWriter
{
    public Task WriteAsync(IReadOnlyList<PointData> points, CancellationToken cancellationToken) =>
        influx.WriteAsync(TelemetryPoints.ToLineProtocol(points), cancellationToken);
}
