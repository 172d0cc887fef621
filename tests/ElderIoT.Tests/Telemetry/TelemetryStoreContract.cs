using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;

namespace ElderIoT.Tests.Telemetry;

/// <summary>What every telemetry store must do; run against the embedded store and against a real InfluxDB.</summary>
public abstract class TelemetryStoreContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The centre's time zone (Notifications:TimeZone's default), in which vitals intervals are aligned.</summary>
    protected static readonly TimeZoneInfo Centre = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    protected abstract ITelemetryStore Store { get; }

    [Fact]
    public async Task ATrackIsThinnedToTheLatestFixOfEachSlice()
    {
        var elder = Guid.NewGuid();
        // One fix a minute for 100 minutes, plus readings without a position that the track ignores.
        var batch = Enumerable.Range(0, 100).Select(i => Reading(elder, "w1", T0.AddMinutes(i), position: new GeoPosition(32 + i * 0.001, 118, 10)))
            .Concat(Enumerable.Range(0, 100).Select(i => Reading(elder, "w1", T0.AddMinutes(i).AddSeconds(30), hr: 70)))
            .ToList();
        await Store.WriteAsync(batch, CancellationToken.None);

        var full = await Store.GetTrackAsync(elder, T0, T0.AddMinutes(100), 1000, CancellationToken.None);
        var thin = await Store.GetTrackAsync(elder, T0, T0.AddMinutes(100), 10, CancellationToken.None);

        Assert.Equal(100, full.Count);
        Assert.Equal(10, thin.Count);
        // Slices are 10 minutes wide; the latest fix of slice k is minute 10k + 9.
        Assert.Equal(Enumerable.Range(0, 10).Select(k => T0.AddMinutes(10 * k + 9)), thin.Select(p => p.At));
        Assert.Equal(32.099, thin[^1].Lat, 6);
        Assert.Equal(10, thin[0].Accuracy);
    }

    [Fact]
    public async Task VitalsAreAggregatedPerIntervalOnTheCentresClock()
    {
        var elder = Guid.NewGuid();
        int[] rates = [60, 70, 80, 90, 100, 110];
        await Store.WriteAsync([.. rates.Select((hr, i) => Reading(elder, "w2", T0.AddMinutes(2 * i + 1), hr: hr))], CancellationToken.None);

        var buckets = await Store.GetVitalsAsync(elder, VitalMetric.Hr, T0.AddMinutes(1), T0.AddMinutes(13), TimeSpan.FromMinutes(5), Centre, CancellationToken.None);

        // 5-minute intervals from 00:00 (a whole 5 minutes, before the range's 00:01): [0,5) holds
        // 60 (00:01) and 70 (00:03); [5,10) holds 80, 90, 100; [10,15) holds 110.
        Assert.Equal([T0, T0.AddMinutes(5), T0.AddMinutes(10)], buckets.Select(b => b.Start));
        Assert.Equal((65.0, 60.0, 70.0, 2L), (buckets[0].Mean, buckets[0].Min, buckets[0].Max, buckets[0].Count));
        Assert.Equal((90.0, 80.0, 100.0, 3L), (buckets[1].Mean, buckets[1].Min, buckets[1].Max, buckets[1].Count));
        Assert.Equal(110.0, buckets[2].Mean);
    }

    [Theory]
    [InlineData(300, 3 * 60 + 5)] // 5 min: 11:07:27.123 local → 11:05
    [InlineData(3600, 3 * 60)] // 1 h: → 11:00
    [InlineData(86400, -8 * 60)] // 1 d: → local midnight, 16:00 UTC the day before
    public async Task VitalsBucketsStartOnWholeMinutesHoursOrLocalMidnightWhateverTheFrom(int intervalSeconds, int firstStartMinutesFromT0)
    {
        var elder = Guid.NewGuid();
        var interval = TimeSpan.FromSeconds(intervalSeconds);
        // A "now − 24 h" kind of from: seconds and milliseconds (T0 is 08:00 in Shanghai).
        var from = T0.AddHours(3).AddMinutes(7).AddSeconds(27).AddMilliseconds(123);
        await Store.WriteAsync([.. Enumerable.Range(0, 140).Select(i => Reading(elder, "w-align", from.AddMinutes(20 * i), hr: 60 + i % 40))], CancellationToken.None);

        var buckets = await Store.GetVitalsAsync(elder, VitalMetric.Hr, from, from.AddDays(2), interval, Centre, CancellationToken.None);

        Assert.Equal(T0.AddMinutes(firstStartMinutesFromT0), buckets[0].Start);
        Assert.All(buckets, b =>
        {
            var local = TimeZoneInfo.ConvertTime(b.Start, Centre);
            Assert.Equal(0, local.TimeOfDay.Ticks % Math.Min(interval.Ticks, TimeSpan.TicksPerDay));
        });
        Assert.Equal(140, buckets.Sum(b => b.Count));
    }

    [Fact]
    public async Task RawReadingsComeBackWithEveryFieldInTimeOrder()
    {
        var elder = Guid.NewGuid();
        var device = $"d-{Guid.NewGuid():N}";
        var full = new TelemetryReading(T0.AddSeconds(2), new GeoPosition(32.1, 118.2, 7.5), 72, 97, 130, 85, 1234, 66, true);
        await Store.WriteAsync([Reading(elder, device, T0.AddSeconds(5), battery: 65), new ReadingEntry(elder, device, full)], CancellationToken.None);

        var readings = await Store.GetReadingsAsync(device, T0, T0.AddMinutes(1), 100, CancellationToken.None);

        Assert.Equal(2, readings.Count);
        Assert.Equal(full, readings[0].Reading);
        Assert.Equal(65, readings[1].Reading.Battery);
        Assert.Null(readings[1].Reading.Position);
        Assert.Single(await Store.GetReadingsAsync(device, T0, T0.AddMinutes(1), 1, CancellationToken.None));
    }

    [Fact]
    public async Task EventsOfAllTheEldersDevicesComeBackWithTheirAlarm()
    {
        var elder = Guid.NewGuid();
        var alarm = Guid.NewGuid();
        await Store.WriteAsync(
        [
            new EventEntry(elder, "w3", new DeviceEvent("w3", "e1", DeviceEventType.Sos, T0.AddSeconds(1), new GeoPosition(32, 118, 5)), alarm),
            new EventEntry(elder, "s3", new DeviceEvent("s3", "e2", DeviceEventType.Door, T0.AddSeconds(2), null), null),
            new EventEntry(Guid.NewGuid(), "other", new DeviceEvent("other", "e3", DeviceEventType.Sos, T0.AddSeconds(3), null), null),
        ], CancellationToken.None);

        var events = await Store.GetEventsAsync(elder, T0, T0.AddMinutes(1), 100, CancellationToken.None);

        Assert.Equal(2, events.Count);
        Assert.Equal(new StoredEvent("w3", "e1", DeviceEventType.Sos, T0.AddSeconds(1), new GeoPosition(32, 118, 5), alarm), events[0]);
        Assert.Equal(("s3", DeviceEventType.Door, (Guid?)null), (events[1].DeviceId, events[1].Type, events[1].AlarmId));
    }

    [Fact]
    public async Task ABatchWrittenTwiceIsStoredOnce()
    {
        var elder = Guid.NewGuid();
        var device = $"d-{Guid.NewGuid():N}";
        var batch = Enumerable.Range(0, 50).Select(i => Reading(elder, device, T0.AddSeconds(i), hr: 60 + i)).ToList();

        await Store.WriteAsync(batch, CancellationToken.None);
        await Store.WriteAsync(batch, CancellationToken.None);

        Assert.Equal(50, (await Store.GetReadingsAsync(device, T0, T0.AddMinutes(1), 1000, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task TheRangeIsHalfOpen()
    {
        var elder = Guid.NewGuid();
        var device = $"d-{Guid.NewGuid():N}";
        await Store.WriteAsync([Reading(elder, device, T0, hr: 1), Reading(elder, device, T0.AddMinutes(1), hr: 2)], CancellationToken.None);

        var readings = await Store.GetReadingsAsync(device, T0, T0.AddMinutes(1), 10, CancellationToken.None);

        Assert.Equal(1, Assert.Single(readings).Reading.HeartRate);
    }

    [Fact]
    public async Task TwoDifferentReadingsOfADeviceAtTheSameMillisecondAreBothKept()
    {
        var elder = Guid.NewGuid();
        var device = $"d-{Guid.NewGuid():N}";

        await Store.WriteAsync([Reading(elder, device, T0, hr: 70)], CancellationToken.None);
        await Store.WriteAsync([Reading(elder, device, T0, hr: 180), Reading(elder, device, T0, battery: 5)], CancellationToken.None);
        // The spool's replay of the same batch after a timeout: nothing more.
        await Store.WriteAsync([Reading(elder, device, T0, hr: 180), Reading(elder, device, T0, battery: 5)], CancellationToken.None);

        var readings = await Store.GetReadingsAsync(device, T0, T0.AddSeconds(1), 100, CancellationToken.None);

        Assert.Equal(3, readings.Count);
        Assert.Equal([70, 180], readings.Select(r => r.Reading.HeartRate).OfType<int>().Order());
        Assert.Contains(readings, r => r.Reading.Battery == 5);
        Assert.All(readings, r => Assert.Equal(T0, r.Reading.Timestamp));
    }

    [Fact]
    public async Task TwoEventsOfADeviceAtTheSameMillisecondAreBothKeptAndAReplayedEventOnce()
    {
        var elder = Guid.NewGuid();
        var device = $"d-{Guid.NewGuid():N}";
        // A watch whose clock is not set sends every event at the same instant.
        var first = new EventEntry(elder, device, new DeviceEvent(device, "1", DeviceEventType.Sos, T0, null), Guid.NewGuid());
        var second = new EventEntry(elder, device, new DeviceEvent(device, "2", DeviceEventType.Sos, T0, null), first.AlarmId);

        await Store.WriteAsync([first, second], CancellationToken.None);
        await Store.WriteAsync([first], CancellationToken.None);

        var events = await Store.GetEventsAsync(elder, T0, T0.AddSeconds(1), 100, CancellationToken.None);

        Assert.Equal(["1", "2"], events.Select(e => e.EventId).Order());
    }

    protected static ReadingEntry Reading(Guid elder, string device, DateTimeOffset at, GeoPosition? position = null, int? hr = null, int? battery = null) =>
        new(elder, device, new TelemetryReading(at, position, hr, null, null, null, null, battery, null));
}
