namespace ElderIoT.Telemetry;

/// <summary>
/// Where time series live: InfluxDB in production, an embedded SQLite file by default. Both pass the
/// same contract tests.
/// </summary>
public interface ITelemetryStore
{
    /// <summary>Stores a batch; throws when it could not (the writer then spools it to disk).</summary>
    Task WriteAsync(IReadOnlyList<TelemetryEntry> batch, CancellationToken cancellationToken);

    /// <summary>The elder's positions in [from, to), at most one per (span / maxPoints): the latest of each slice.</summary>
    Task<IReadOnlyList<TrackPoint>> GetTrackAsync(Guid elderId, DateTimeOffset from, DateTimeOffset to, int maxPoints, CancellationToken cancellationToken);

    /// <summary>
    /// Mean, min and max of a metric per interval, the intervals on the centre's clock in
    /// <paramref name="timeZone"/> (see <see cref="VitalsIntervals"/>): the first starts at or before
    /// <paramref name="from"/> and is whole; empty intervals omitted.
    /// </summary>
    Task<IReadOnlyList<VitalsBucket>> GetVitalsAsync(Guid elderId, VitalMetric metric, DateTimeOffset from, DateTimeOffset to, TimeSpan interval, TimeZoneInfo timeZone, CancellationToken cancellationToken);

    /// <summary>A device's raw readings in time order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredReading>> GetReadingsAsync(string deviceId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>The events of all the elder's devices in time order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredEvent>> GetEventsAsync(Guid elderId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);
}
