using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// Records one counter of one node from now on: only the node's own meters (their scope is its
/// meter factory), so nodes running side by side in the test process do not mix.
/// </summary>
internal sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, object?>> _measurements = new();

    public CounterRecorder(TestNode node, string instrumentName)
    {
        var scope = node.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == instrumentName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            for (var i = 0; i < value; i++)
            {
                _measurements.Enqueue(copy);
            }
        });
        _listener.Start();
    }

    /// <summary>How much the counter moved with this tag value since the recorder started.</summary>
    public int Count(string tag, string value) => _measurements.Count(m => m.TryGetValue(tag, out var v) && Equals(v?.ToString(), value));

    public void Dispose() => _listener.Dispose();
}
