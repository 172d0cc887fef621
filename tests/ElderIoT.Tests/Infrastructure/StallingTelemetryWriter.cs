using System.Collections.Concurrent;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Pipeline;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// A telemetry writer whose queue is full until <see cref="Release"/>: every entry waits, as it would
/// behind a store that stopped answering. The stage everything after the device path hangs on.
/// </summary>
internal sealed class StallingTelemetryWriter : ITelemetryWriter
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<TelemetryEntry> Written { get; } = new();

    /// <summary>Completes once the first entry is being held.</summary>
    public Task FirstHeld => _firstHeld.Task;

    public async ValueTask EnqueueAsync(TelemetryEntry entry, CancellationToken cancellationToken = default)
    {
        _firstHeld.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
        Written.Enqueue(entry);
    }

    public async Task AppendDurablyAsync(IReadOnlyList<TelemetryEntry> entries, CancellationToken cancellationToken = default)
    {
        foreach (var entry in entries)
        {
            await EnqueueAsync(entry, cancellationToken);
        }
    }

    public void Release() => _released.TrySetResult();
}
