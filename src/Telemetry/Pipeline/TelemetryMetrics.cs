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
    private readonly Counter<long> _walAppended;
    private readonly Counter<long> _walCommits;
    private readonly Counter<long> _walTornTails;
    private readonly Counter<long> _notAcknowledged;
    private readonly Counter<long> _spoolFailures;
    private readonly Counter<long> _spoolQuarantined;
    private readonly Histogram<double> _writeDuration;
    private readonly Histogram<long> _batchSize;
    private long _writtenTotal;
    private long _spooledTotal;
    private long _replayedTotal;
    private long _droppedTotal;
    private long _walAppendedTotal;
    private long _walCommitsTotal;
    private long _notAcknowledgedTotal;
    private long _spoolFailuresTotal;
    private long _spoolQuarantinedTotal;

    public TelemetryMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _queued = meter.CreateCounter<long>("elderiot.telemetry.queued", description: "Points queued for writing.");
        _written = meter.CreateCounter<long>("elderiot.telemetry.written", description: "Points written to the store directly.");
        _spooled = meter.CreateCounter<long>("elderiot.telemetry.spooled", description: "Points put on the disk spool while the store was unavailable.");
        _replayed = meter.CreateCounter<long>("elderiot.telemetry.replayed", description: "Spooled points written once the store was back.");
        _dropped = meter.CreateCounter<long>("elderiot.telemetry.dropped", description: "Points lost: refused by the store as malformed. Must stay 0.");
        _walAppended = meter.CreateCounter<long>("elderiot.telemetry.wal_appended", description: "Points of QoS 1 telemetry made durable in the write-ahead log before their PUBACK.");
        _walCommits = meter.CreateCounter<long>("elderiot.telemetry.wal_commits", description: "fsync'd appends to the write-ahead log (each covers every append that arrived meanwhile).");
        _walTornTails = meter.CreateCounter<long>("elderiot.telemetry.wal_torn_tails", description: "Write-ahead log segments that ended in a write that never completed (never acknowledged; ignored).");
        _notAcknowledged = meter.CreateCounter<long>("elderiot.telemetry.not_acknowledged", description: "QoS 1 points refused (no PUBACK) because no durable place could take them, by reason.");
        _spoolFailures = meter.CreateCounter<long>("elderiot.telemetry.spool_failures", description: "Batches the spool could not write, by reason; they stay in memory and in the write-ahead log and are retried.");
        _spoolQuarantined = meter.CreateCounter<long>("elderiot.telemetry.spool_quarantined", description: "Spool files set aside unread, by reason (half_written, unreadable).");
        _writeDuration = meter.CreateHistogram<double>("elderiot.telemetry.write_duration", unit: "ms", description: "Time of one batch write.");
        _batchSize = meter.CreateHistogram<long>("elderiot.telemetry.batch_size", description: "Points per batch.");
    }

    public long Written => Interlocked.Read(ref _writtenTotal);

    public long Spooled => Interlocked.Read(ref _spooledTotal);

    public long Replayed => Interlocked.Read(ref _replayedTotal);

    public long Dropped => Interlocked.Read(ref _droppedTotal);

    public long WalAppended => Interlocked.Read(ref _walAppendedTotal);

    public long WalCommits => Interlocked.Read(ref _walCommitsTotal);

    public long NotAcknowledged => Interlocked.Read(ref _notAcknowledgedTotal);

    public long SpoolFailures => Interlocked.Read(ref _spoolFailuresTotal);

    public long SpoolQuarantined => Interlocked.Read(ref _spoolQuarantinedTotal);

    public void Queued() => _queued.Add(1);

    public void WalCommitted(int points)
    {
        Interlocked.Add(ref _walAppendedTotal, points);
        Interlocked.Increment(ref _walCommitsTotal);
        _walAppended.Add(points);
        _walCommits.Add(1);
    }

    public void WalTornTail() => _walTornTails.Add(1);

    public void NotAcknowledgedBatch(int points, string reason)
    {
        Interlocked.Add(ref _notAcknowledgedTotal, points);
        _notAcknowledged.Add(points, new KeyValuePair<string, object?>("reason", reason));
    }

    public void SpoolFailed(Exception exception)
    {
        Interlocked.Increment(ref _spoolFailuresTotal);
        _spoolFailures.Add(1, new KeyValuePair<string, object?>("reason", exception.GetType().Name));
    }

    public void SpoolQuarantinedFile(string reason)
    {
        Interlocked.Increment(ref _spoolQuarantinedTotal);
        _spoolQuarantined.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

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
