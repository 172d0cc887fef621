using ElderIoT.Contracts.Geofences;
using ElderIoT.Geofences;

namespace ElderIoT.Tests.Geofences;

/// <summary>The wandering rule on recorded-like traces: drift raises nothing, a real walk raises once.</summary>
public sealed class GeofenceMonitorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero); // 10:00 in Nanjing

    [Fact]
    public void AnElderStandingAtTheFenceLineWithGpsJitterForAnHourRaisesNothing()
    {
        var monitor = new GeofenceMonitor([new CompiledGeofence(Shapes.Home(radius: 150))], Shapes.Settings());
        var random = new Random(20261125);
        var transitions = new List<GeofenceTransition>();
        // One fix every 10 s for an hour, standing on the circle's edge; each fix is 30–60 m off in a
        // random direction and reports an accuracy of 30–60 m, as phones and watches do outdoors.
        for (var second = 0; second < 3600; second += 10)
        {
            var error = 30 + random.NextDouble() * 30;
            var angle = random.NextDouble() * 2 * Math.PI;
            var (lat, lon) = Shapes.At(150 + error * Math.Cos(angle), error * Math.Sin(angle));
            transitions.AddRange(monitor.Evaluate(new Fix(lat, lon, 30 + random.NextDouble() * 30, T0.AddSeconds(second)), out _));
        }

        Assert.Empty(transitions);
    }

    [Fact]
    public void AnElderWhoWalksAwayRaisesExactlyOneExitWithinTheConfiguredFixes()
    {
        var monitor = new GeofenceMonitor([new CompiledGeofence(Shapes.Home(radius: 150))], Shapes.Settings(confirmFixes: 3, confirmAfterSeconds: 600));
        var random = new Random(7);
        var transitions = new List<(int Second, GeofenceTransition Transition)>();
        int? firstDecisive = null;
        // From home eastwards at 1.2 m/s for 30 minutes, a fix every 10 s with 10–20 m of jitter.
        for (var second = 0; second < 1800; second += 10)
        {
            var accuracy = 10 + random.NextDouble() * 10;
            var east = 1.2 * second + (random.NextDouble() - 0.5) * 2 * accuracy;
            var (lat, lon) = Shapes.At(east, 0);
            if (firstDecisive is null && east - 150 > accuracy + 25)
            {
                firstDecisive = second;
            }

            transitions.AddRange(monitor.Evaluate(new Fix(lat, lon, accuracy, T0.AddSeconds(second)), out _).Select(t => (second, t)));
        }

        var (at, exit) = Assert.Single(transitions);
        Assert.Equal(Crossing.Exited, exit.Crossing);
        Assert.True(exit.RaisesAlarm);
        // Confirmed by the third decisive fix in a row: no later than 20 s after the first one.
        Assert.InRange(at, firstDecisive!.Value + 20, firstDecisive.Value + 40);
    }

    [Fact]
    public void ARunOfDecisiveFixesSpanningTheConfiguredTimeConfirmsEvenWithFewerFixes()
    {
        var monitor = new GeofenceMonitor([new CompiledGeofence(Shapes.Home())], Shapes.Settings(confirmFixes: 10, confirmAfterSeconds: 60));
        var (lat, lon) = Shapes.At(0, 500);

        Assert.Empty(monitor.Evaluate(new Fix(lat, lon, 20, T0), out _));
        Assert.Empty(monitor.Evaluate(new Fix(lat, lon, 20, T0.AddSeconds(30)), out _));
        Assert.Single(monitor.Evaluate(new Fix(lat, lon, 20, T0.AddSeconds(60)), out _));
    }

    [Fact]
    public void ADriftingFixInsideTheRunBreaksIt()
    {
        var monitor = new GeofenceMonitor([new CompiledGeofence(Shapes.Home())], Shapes.Settings(confirmFixes: 3, confirmAfterSeconds: 3600));
        var far = Shapes.At(0, 500);
        var edge = Shapes.At(0, 160);

        var seen = new[] { far, far, edge, far, far }
            .SelectMany((p, i) => monitor.Evaluate(new Fix(p.Lat, p.Lon, 20, T0.AddSeconds(10 * i)), out _))
            .ToList();

        Assert.Empty(seen);
    }

    [Fact]
    public void FixesWithoutOrWithAbsurdAccuracyAreIgnoredAndSaySo()
    {
        var monitor = new GeofenceMonitor([new CompiledGeofence(Shapes.Home())], Shapes.Settings(confirmFixes: 1));
        var (lat, lon) = Shapes.At(0, 5000);

        Assert.Empty(monitor.Evaluate(new Fix(lat, lon, null, T0), out var none));
        Assert.Empty(monitor.Evaluate(new Fix(lat, lon, 2000, T0.AddSeconds(1)), out var absurd));
        Assert.Single(monitor.Evaluate(new Fix(lat, lon, 20, T0.AddSeconds(2)), out var used));
        Assert.Empty(monitor.Evaluate(new Fix(lat, lon, 20, T0.AddSeconds(1)), out var late));

        Assert.Equal((IgnoredFix.NoAccuracy, IgnoredFix.AbsurdAccuracy, IgnoredFix.None, IgnoredFix.OutOfOrder), (none, absurd, used, late));
    }

    [Fact]
    public void WalkingAlongTheRiverEntersTheDangerZoneOnceAndLeavingIsAnEventToo()
    {
        var river = Shapes.River();
        var monitor = new GeofenceMonitor([new CompiledGeofence(river)], Shapes.Settings(confirmFixes: 3));
        var transitions = new List<GeofenceTransition>();
        // The path next to the river (20 m south of it) never counts: within accuracy plus margin.
        for (var i = 0; i < 30; i++)
        {
            var (lat, lon) = Shapes.At(-200 + i * 10, 280);
            transitions.AddRange(monitor.Evaluate(new Fix(lat, lon, 15, T0.AddSeconds(10 * i)), out _));
        }

        Assert.Empty(transitions);
        // Then onto the bank, 40 m inside, and back home.
        for (var i = 0; i < 6; i++)
        {
            var (lat, lon) = Shapes.At(0, 340);
            transitions.AddRange(monitor.Evaluate(new Fix(lat, lon, 8, T0.AddSeconds(400 + 10 * i)), out _));
        }

        for (var i = 0; i < 6; i++)
        {
            transitions.AddRange(monitor.Evaluate(new Fix(Shapes.HomeLat, Shapes.HomeLon, 8, T0.AddSeconds(500 + 10 * i)), out _));
        }

        Assert.Equal([(Crossing.Entered, true), (Crossing.Exited, false)], transitions.Select(t => (t.Crossing, t.RaisesAlarm)));
        Assert.All(transitions, t => Assert.Equal(river.Id, t.Fence.Id));
    }

    [Fact]
    public void ComingBackNeedsConfirmationTooAndThenTheNextWalkRaisesAgain()
    {
        var monitor = new GeofenceMonitor([new CompiledGeofence(Shapes.Home())], Shapes.Settings(confirmFixes: 2));
        var far = Shapes.At(0, 800);
        var trace = new[] { far, far, (Shapes.HomeLat, Shapes.HomeLon), far, (Shapes.HomeLat, Shapes.HomeLon), (Shapes.HomeLat, Shapes.HomeLon), far, far };

        var crossings = trace.SelectMany((p, i) => monitor.Evaluate(new Fix(p.Item1, p.Item2, 10, T0.AddSeconds(10 * i)), out _)).Select(t => t.Crossing);

        Assert.Equal([Crossing.Exited, Crossing.Entered, Crossing.Exited], crossings);
    }

    [Fact]
    public void ANightZoneAcrossMidnightAppliesInTheEldersTimeZoneOnly()
    {
        // Must be home Monday nights 22:00 until Tuesday 06:00, Nanjing time (UTC+8).
        var schedule = new GeofenceSchedule([DayOfWeek.Monday], 22 * 60, 6 * 60);
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var mondayLate = new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.FromHours(8));
        var tuesdayEarly = new DateTimeOffset(2026, 11, 24, 5, 59, 0, TimeSpan.FromHours(8));
        var tuesdayMorning = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.FromHours(8));
        var mondayEarly = new DateTimeOffset(2026, 11, 23, 5, 0, 0, TimeSpan.FromHours(8));

        Assert.True(schedule.Covers(mondayLate, shanghai));
        Assert.True(schedule.Covers(tuesdayEarly, shanghai));
        Assert.False(schedule.Covers(tuesdayMorning, shanghai));
        Assert.False(schedule.Covers(mondayEarly, shanghai)); // Sunday night's window is not scheduled.
        // 23:30 Monday in Nanjing is 15:30 Monday UTC; in London the same instant is Monday afternoon.
        Assert.False(schedule.Covers(mondayLate, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")));

        var monitor = new GeofenceMonitor([new CompiledGeofence(Shapes.Home(schedule: schedule))], Shapes.Settings(confirmFixes: 2));
        var far = Shapes.At(0, 800);
        var afternoon = new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.FromHours(8));
        Assert.Empty(monitor.Evaluate(new Fix(far.Lat, far.Lon, 10, afternoon), out _));
        Assert.Empty(monitor.Evaluate(new Fix(far.Lat, far.Lon, 10, afternoon.AddMinutes(1)), out _));
        Assert.Empty(monitor.Evaluate(new Fix(far.Lat, far.Lon, 10, mondayLate), out _));
        Assert.Single(monitor.Evaluate(new Fix(far.Lat, far.Lon, 10, mondayLate.AddMinutes(1)), out _));
    }
}
