namespace ElderIoT.Telemetry.Pipeline;

/// <summary>Takes readings and events off the device path; they are written in batches behind it.</summary>
public interface ITelemetryWriter
{
    /// <summary>
    /// Returns once the entries are durable: fsync'd in the local write-ahead log (replayed after a
    /// crash) or, when the log cannot be written, in the store itself. This is what a QoS 1 PUBACK waits
    /// for. Throws <see cref="TelemetryNotDurableException"/> when neither could take them.
    /// </summary>
    Task AppendDurablyAsync(IReadOnlyList<TelemetryEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues one entry in memory only (QoS 0: fire and forget, lost if the process dies before its
    /// batch is written). Waits only when the bounded queue is full (back-pressure); never drops.
    /// </summary>
    ValueTask EnqueueAsync(TelemetryEntry entry, CancellationToken cancellationToken = default);
}
