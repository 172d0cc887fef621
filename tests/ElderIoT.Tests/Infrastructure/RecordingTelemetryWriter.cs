using System.Collections.Concurrent;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Pipeline;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>Keeps what grains hand to the telemetry writer, for tests that are not about the store.</summary>
internal sealed class RecordingTelemetryWriter : ITelemetryWriter
{
    public ConcurrentQueue<TelemetryEntry> Entries { get; } = new();

    public Task AppendDurablyAsync(IReadOnlyList<TelemetryEntry> entries, CancellationToken cancellationToken = default)
    {
        foreach (var entry in entries)
        {
            Entries.Enqueue(entry);
        }

        return Task.CompletedTask;
    }

    public ValueTask EnqueueAsync(TelemetryEntry entry, CancellationToken cancellationToken = default)
    {
        Entries.Enqueue(entry);
        return ValueTask.CompletedTask;
    }
}
