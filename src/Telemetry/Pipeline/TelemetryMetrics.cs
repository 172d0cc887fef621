using System.Diagnostics.Metrics;

namespace ElderIoT.Telemetry.Pipeline;

/// <summary>Meter <c>ElderIoT.Telemetry</c>: what is queued, written, spooled, replayed and dropped (which must stay 0).</summary>
public sealed class TelemetryMetrics
{
    public const string MeterName = "ElderIoT.Telemetry";

    private readonly Counter<long> _queued;
    private readonly Counter<long> _written;
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _dropped;
    private readonly Histogram<double> _writeDuration;
    private readonly Histogram<long> _batchSize;
    private long _writtenTotal;
    private long _spooledTotal;
    private long _replayedTotal;
    private long _droppedTotal;

    public TelemetryMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _queued = meter.CreateCounter<long>("elderiot.telemetry.queued", description: "Points queued for writing.");
        _written = meter.CreateCounter<long>("elderiot.telemetry.written", description: "Points written to the store directly.");
        _spooled = meter.CreateCounter<long>("elderiot.telemetry.spooled", description: "Points put on the disk spool while the store was unavailable.");
        _replayed = meter.CreateCounter<long>("elderiot.telemetry.replayed", description: "Spooled points written once the store was back.");
        _dropped = meter.CreateCounter<long>("elderiot.telemetry.dropped", description: "Points lost: refused by the store as malformed. Must stay 0.");
        _writeDuration = meter.CreateHistogram<double>("elderiot.telemetry.write_duration", unit: "ms", description: "Time of one batch write.");
        _batchSize = meter.CreateHistogram<long>("elderiot.telemetry.batch_size", description: "Points per batch.");
    }

    public long Written => Interlocked.Read(ref _writtenTotal);

    public long Spooled => Interlocked.Read(ref _spooledTotal);

    public long Replayed => Interlocked.Read(ref _replayedTotal);

    public long Dropped => Interlocked.Read(ref _droppedTotal);

    public void Queued() => _queued.Add(1);

    public void WrittenBatch(int points, TimeSpan duration)
    {
        Interlocked.Add(ref _writtenTotal, points);
        _written.Add(points);
        _batchSize.Record(points);
        _writeDuration.Record(duration.TotalMilliseconds);
    }

    public void SpooledBatch(int points)
    {
        Interlocked.Add(ref _spooledTotal, points);
        _spooled.Add(points);
    }

    public void ReplayedBatch(int points, TimeSpan duration)
    {
        Interlocked.Add(ref _replayedTotal, points);
        _replayed.Add(points);
        _writeDuration.Record(duration.TotalMilliseconds);
    }

    public void DroppedBatch(int points)
    {
        Interlocked.Add(ref _droppedTotal, points);
        _dropped.Add(points);
    }
}
