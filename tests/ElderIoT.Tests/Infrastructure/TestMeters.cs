using System.Diagnostics.Metrics;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>A meter factory for objects built by hand in unit tests.</summary>
internal sealed class TestMeters : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
