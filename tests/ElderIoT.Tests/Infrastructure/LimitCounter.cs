using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// Listens to <c>elderiot.gateway.connections_limited</c> of one node only (by its meter factory,
/// since other nodes of the test run publish on meters of the same name).
/// </summary>
internal sealed class LimitCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Reason, string Listener)> _hits = [];

    public LimitCounter(TestNode node)
    {
        var factory = node.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "elderiot.gateway.connections_limited" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? reason = null, name = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reason = tag.Value as string;
                }
                else if (tag.Key == "listener")
                {
                    name = tag.Value as string;
                }
            }

            lock (_hits)
            {
                for (var i = 0; i < value; i++)
                {
                    _hits.Add((reason ?? "", name ?? ""));
                }
            }
        });
        _listener.Start();
    }

    public int Count(string reason, string listener = "device")
    {
        lock (_hits)
        {
            return _hits.Count(h => h.Reason == reason && h.Listener == listener);
        }
    }

    public void Dispose() => _listener.Dispose();
}
