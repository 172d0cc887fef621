namespace ElderIoT.Telemetry.Pipeline;

/// <summary>Takes readings and events off the device path; they are written in batches behind it.</summary>
public interface ITelemetryWriter
{
    /// <summary>Queues one entry. Waits only when the bounded queue is full (back-pressure); never drops.</summary>
    ValueTask EnqueueAsync(TelemetryEntry entry, CancellationToken cancellationToken = default);
}
