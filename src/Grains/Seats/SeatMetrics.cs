using System.Diagnostics.Metrics;

namespace ElderIoT.Grains.Seats;

/// <summary>Seat counters (meter <c>ElderIoT.Seats</c>).</summary>
public sealed class SeatMetrics
{
    public const string MeterName = "ElderIoT.Seats";

    private readonly Counter<long> _screens;

    public SeatMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _screens = meter.CreateCounter<long>("elderiot.seats.screen_changes", description: "Seat screens connected and disconnected, by change.");
    }

    public void ScreenConnected() => _screens.Add(1, new KeyValuePair<string, object?>("change", "connected"));

    public void ScreenDisconnected(string reason) => _screens.Add(1, new KeyValuePair<string, object?>("change", "disconnected"), new KeyValuePair<string, object?>("reason", reason));
}
