using System.Globalization;
using ElderIoT.Contracts.Geofences;
using ElderIoT.DeviceSim;
using ElderIoT.Geofences;

namespace ElderIoT.Tests.DeviceSim;

/// <summary>device-sim's geofence scenarios, judged by the real wandering rule with the default settings.</summary>
public sealed class GeofenceScenarioTests
{
    private static readonly GeofenceSettings Defaults = new("Asia/Shanghai", 3, TimeSpan.FromSeconds(60), 25, 500);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheFenceLineElderRaisesNothingInAnHour(int seed)
    {
        var elder = new ElderBehaviour(32.06, 118.78, new Random(seed));
        elder.StandAtFenceLine(GeofenceScenarios.HomeRadius);

        var transitions = Trace(elder, Home(elder), TimeSpan.FromHours(1));

        Assert.Empty(transitions);
    }

    [Fact]
    public void TheWanderingElderRaisesExactlyOneExit()
    {
        var elder = new ElderBehaviour(32.06, 118.78, new Random(4));
        elder.Wander();

        var transitions = Trace(elder, Home(elder), TimeSpan.FromHours(1));

        var exit = Assert.Single(transitions);
        Assert.Equal((Crossing.Exited, true), (exit.Crossing, exit.RaisesAlarm));
    }

    [Fact]
    public void TheRiverWalkerEntersTheDangerZoneOnce()
    {
        var elder = new ElderBehaviour(32.06, 118.78, new Random(5));
        elder.WalkToRiver(GeofenceScenarios.RiverNorth);
        var projection = new LocalProjection(elder.HomeLat, elder.HomeLon);
        var corners = new[] { (-500, 400), (500, 400), (500, 480), (-500, 480), (-500, 400) }
            .Select(c => projection.Unproject(c.Item1, c.Item2))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.Lon},{p.Lat}]"));
        var river = new GeofenceDefinition(Guid.NewGuid(), "河边", GeofenceKind.Danger, false, $$"""{"type":"Polygon","coordinates":[[{{string.Join(",", corners)}}]]}""", null, null);

        var transitions = Trace(elder, [Home(elder)[0], river], TimeSpan.FromHours(1));

        var entered = Assert.Single(transitions);
        Assert.Equal((river.Id, Crossing.Entered), (entered.Fence.Id, entered.Crossing));
    }

    private static GeofenceDefinition[] Home(ElderBehaviour elder) =>
    [
        new(Guid.NewGuid(), "家", GeofenceKind.Safe, true, string.Create(CultureInfo.InvariantCulture, $$"""{"type":"Point","coordinates":[{{elder.HomeLon}},{{elder.HomeLat}}]}"""), GeofenceScenarios.HomeRadius, null),
    ];

    private static List<GeofenceTransition> Trace(ElderBehaviour elder, IEnumerable<GeofenceDefinition> fences, TimeSpan length)
    {
        var monitor = new GeofenceMonitor(fences.Select(f => new CompiledGeofence(f)), Defaults);
        var start = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.FromHours(8));
        var tick = TimeSpan.FromSeconds(10);
        var transitions = new List<GeofenceTransition>();
        for (var at = start; at < start + length; at += tick)
        {
            var reading = elder.Step(at, tick);
            transitions.AddRange(monitor.Evaluate(new Fix(reading.Lat, reading.Lon, reading.Accuracy, at), out _));
        }

        return transitions;
    }
}

/// <summary>device-sim obeys the centre's config command.</summary>
public sealed class ConfigCommandTests
{
    [Fact]
    public void TrackingSetsTheIntervalAndNormalClearsIt()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), ConfigCommand.ReportEvery("""{"type":"config","mode":"tracking","reportEverySeconds":10}"""));
        Assert.Null(ConfigCommand.ReportEvery("""{"type":"config","mode":"normal"}"""));
        Assert.Null(ConfigCommand.ReportEvery("not json"));
    }
}
