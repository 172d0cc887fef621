using System.CommandLine;
using System.Text.Json;
using ElderIoT.DeviceSim;

namespace ElderIoT.Tests.DeviceSim;

public sealed class DeviceSimTests
{
    [Theory]
    [InlineData(50, 5)]
    [InlineData(95, 10)]
    [InlineData(99, 10)]
    [InlineData(100, 10)]
    [InlineData(0, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    public void PercentilesUseTheNearestRank(double percentile, double expected) =>
        Assert.Equal(expected, Percentiles.Of([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], percentile));

    [Fact]
    public void PercentilesOfNothingOrOneSample()
    {
        Assert.Null(Percentiles.Of([], 50));
        Assert.Equal(42, Percentiles.Of([42], 99));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1], 101));
    }

    [Fact]
    public void TheSameSeedGivesTheSameElderAndTheSameDay()
    {
        static string Run(int seed)
        {
            var elder = PayloadFactory.Elder(seed, 3, "南京市/鼓楼区");
            var behaviour = new ElderBehaviour(elder.HomeLat, elder.HomeLon, PayloadFactory.RandomFor(seed, 3));
            return JsonSerializer.Serialize(elder.Body) + string.Join("|", Day(behaviour, TimeSpan.FromSeconds(30)).Select(r => PayloadFactory.Reading(r.Reading, r.At)));
        }

        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void AnElderWalksAtAWalkingPaceAndNeverTeleports()
    {
        var behaviour = new ElderBehaviour(32.06, 118.78, new Random(5));
        behaviour.Wander();
        var moved = 0.0;
        (double Lat, double Lon) last = (behaviour.Lat, behaviour.Lon);
        foreach (var _ in Day(behaviour, TimeSpan.FromSeconds(10)))
        {
            var metres = ElderBehaviour.DistanceMetres(last.Lat, last.Lon, behaviour.Lat, behaviour.Lon);
            Assert.True(metres <= ElderBehaviour.MaxWalkingSpeed * 10 + 1e-6, $"moved {metres:0.0} m in 10 s");
            moved += metres;
            last = (behaviour.Lat, behaviour.Lon);
        }

        Assert.True(ElderBehaviour.DistanceMetres(behaviour.HomeLat, behaviour.HomeLon, behaviour.Lat, behaviour.Lon) > 1500, "a wandering elder leaves the home zone");
        Assert.True(moved > 1500);
    }

    [Fact]
    public void ReadingsAreInTheProtocolsRangesAndGpsIsWorseIndoors()
    {
        var behaviour = new ElderBehaviour(32.06, 118.78, new Random(1));
        var readings = Day(behaviour, TimeSpan.FromMinutes(1)).ToList();

        Assert.All(readings, r =>
        {
            Assert.InRange(r.Reading.HeartRate, 20, 250);
            Assert.InRange(r.Reading.SpO2, 50, 100);
            Assert.InRange(r.Reading.Battery, 0, 100);
            Assert.InRange(r.Reading.Accuracy, 0, 100);
        });
        Assert.True(readings[0].Reading.Accuracy >= 25, "at home, indoors: a coarse fix");
        Assert.Contains(readings, r => r.Reading.Accuracy < 16);
        Assert.True(readings[^1].Reading.Steps > 0);
    }

    [Fact]
    public void AbnormalVitalsAreSustained()
    {
        var behaviour = new ElderBehaviour(32.06, 118.78, new Random(2)) { AbnormalHeartRate = true };

        Assert.All(Day(behaviour, TimeSpan.FromMinutes(5)), r => Assert.InRange(r.Reading.HeartRate, 135, 150));
    }

    [Fact]
    public void AnEventCarriesItsIdTypeTimeAndPosition()
    {
        var json = PayloadFactory.Event("e-1", "sos", 32.06, 118.78, DateTimeOffset.FromUnixTimeMilliseconds(1764039540000));

        Assert.Equal("""{"id":"e-1","type":"sos","ts":1764039540000,"lat":32.06,"lon":118.78,"acc":15}""", json);
    }

    /// <summary>Readings of one simulated day, from 08:00 Beijing time.</summary>
    private static IEnumerable<(DateTimeOffset At, SimReading Reading)> Day(ElderBehaviour behaviour, TimeSpan tick)
    {
        var start = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.FromHours(8));
        for (var at = start; at < start.AddHours(24); at += tick)
        {
            yield return (at, behaviour.Step(at, tick));
        }
    }

    [Fact]
    public void OptionsAreParsedAndBadOnesNamed()
    {
        var parsed = SimCommandLine.Parse("--elders", "5", "--scenario", "sos,smoke", "--mqtt", "3.1.1", "--api", "http://h:1");
        Assert.Empty(parsed.Errors);
        var options = SimCommandLine.SimOptionsOf(parsed);

        Assert.Equal((5, true, new Uri("http://h:1")), (options.Elders, options.Mqtt311, options.Api));
        Assert.Equal(["sos", "smoke"], options.Scenarios);
        Assert.False(SimCommandLine.SimOptionsOf(SimCommandLine.Parse()).Mqtt311);
        Assert.Contains("--scenario", ErrorOf("--scenario", "earthquake"));
        Assert.Contains("--elders", ErrorOf("--elders", "0"));
        Assert.Contains("--bogus", ErrorOf("--bogus"));
        Assert.Contains("--mqtt", ErrorOf("--mqtt", "311"));
        Assert.Contains("--api", ErrorOf("--api", "not a url"));
    }

    [Fact]
    public void LoadOptionsAreTakenBesideTheCommonOnes()
    {
        var parsed = SimCommandLine.Parse("--load", "--devices", "100000", "--api", "http://h:1", "--qos", "0", "--target", "mosquitto", "--leave-open", "--source-addresses", "5");
        Assert.Empty(parsed.Errors);
        var load = SimCommandLine.LoadOptionsOf(parsed);

        Assert.Equal((100000, 0, "mosquitto", 5), (load.Devices, load.Qos, load.Target, load.SourceAddresses));
        Assert.Equal((new Uri("http://h:1"), true), (SimCommandLine.SimOptionsOf(parsed).Api, SimCommandLine.SimOptionsOf(parsed).LeaveOpen));
        Assert.Contains("--qos", ErrorOf("--qos", "2"));
        Assert.Contains("--target", ErrorOf("--target", "kafka"));
        Assert.Contains("--source-addresses", ErrorOf("--source-addresses", "251"));
    }

    [Fact]
    public void TheLoadedPhaseRunsAtTheFractionOfSaturationAsked()
    {
        Assert.Equal(0.5, SimCommandLine.LoadOptionsOf(SimCommandLine.Parse()).LoadFraction);
        Assert.Equal(0.25, SimCommandLine.LoadOptionsOf(SimCommandLine.Parse("--load-fraction", "0.25")).LoadFraction);
        Assert.Contains("--load-fraction", ErrorOf("--load-fraction", "1.5"));
        Assert.Contains("--load-fraction", ErrorOf("--load-fraction", "half"));
    }

    [Fact]
    public async Task HelpIsPrintedAndExitsZero()
    {
        var output = new StringWriter();
        var exit = await SimCommandLine.Parse("--help").InvokeAsync(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exit);
        Assert.Contains("--scenario", output.ToString());
        Assert.Contains("--mqtt", output.ToString());
        Assert.Contains("--load-fraction", output.ToString());
    }

    [Fact]
    public async Task ABadOptionExitsNonZeroNamingIt()
    {
        var error = new StringWriter();
        var exit = await SimCommandLine.Parse("--elders", "zero").InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error });

        Assert.NotEqual(0, exit);
        Assert.Contains("--elders", error.ToString());
    }

    [Fact]
    public void AtQos0OnlyWhatWasSentAtQos1CountsAsAcknowledgeable()
    {
        // Scenario runs: telemetry at QoS 0 (never acknowledged) beside a few events at QoS 1.
        var line = LiveProgress.Line(new ProgressSnapshot("scenario", 4, 4, 104, 4, 4, null, 4, [], 0), TimeSpan.FromSeconds(5), new LiveProgress.Rates());

        Assert.Contains("sent 104", line);
        Assert.Contains("acknowledged 4 of 4 sent at QoS 1", line);
        Assert.Contains("no timed SOS yet", line);
    }

    private static string ErrorOf(params string[] args) =>
        string.Join("\n", SimCommandLine.Parse(args).Errors.Select(e => e.Message));

    [Fact]
    public void TheProgressLineShowsRatesSinceThePreviousLineAndTheAlarmLatency()
    {
        var rates = new LiveProgress.Rates();
        var latencies = new[] { 10.0, 20.0, 30.0, 40.0 };
        LiveProgress.Line(new ProgressSnapshot("hold", 10, 10, 1000, 1000, 900, 800, 4, latencies, 0), TimeSpan.FromSeconds(10), rates);

        var line = LiveProgress.Line(new ProgressSnapshot("hold", 9, 10, 3000, 3000, 2900, 2800, 5, latencies, 2), TimeSpan.FromSeconds(12), rates);

        Assert.Contains("hold: connected 9/10", line);
        Assert.Contains("sent 3,000 (1,000/s)", line);
        Assert.Contains("acknowledged 2,900 of 3,000 sent at QoS 1 (1,000/s)", line);
        Assert.Contains("processed 2,800", line);
        Assert.Contains("alarms seen 5, SOS → seat p50 20 ms, p95 40 ms, p99 40 ms, n=4 timed", line);
        Assert.Contains("errors 2", line);
    }
}
