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
    public void TheSameSeedGivesTheSameElderAndTheSameReadings()
    {
        static string Run(int seed)
        {
            var elder = PayloadFactory.Elder(seed, 3, "南京市/鼓楼区");
            var state = new DeviceState(elder.HomeLat, elder.HomeLon);
            var random = PayloadFactory.RandomFor(seed, 3);
            var now = new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
            return JsonSerializer.Serialize(elder.Body) + string.Join("|", Enumerable.Range(0, 20).Select(i => PayloadFactory.Reading(state, random, now.AddSeconds(i))));
        }

        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void ReadingsUseTheProtocolFieldsInRangeAndStayNearHome()
    {
        var state = new DeviceState(32.06, 118.78);
        var random = new Random(1);
        for (var i = 0; i < 500; i++)
        {
            using var reading = JsonDocument.Parse(PayloadFactory.Reading(state, random, DateTimeOffset.UtcNow));
            var r = reading.RootElement;
            Assert.InRange(r.GetProperty("hr").GetInt32(), 20, 250);
            Assert.InRange(r.GetProperty("spo2").GetInt32(), 50, 100);
            Assert.InRange(r.GetProperty("battery").GetInt32(), 0, 100);
            Assert.InRange(r.GetProperty("lat").GetDouble(), 32.06 - 0.0016, 32.06 + 0.0016);
            Assert.InRange(r.GetProperty("lon").GetDouble(), 118.78 - 0.0016, 118.78 + 0.0016);
            Assert.True(r.GetProperty("ts").GetInt64() > 0);
            Assert.True(r.GetProperty("worn").GetBoolean());
        }
    }

    [Fact]
    public void AnEventCarriesItsIdTypeTimeAndPosition()
    {
        var json = PayloadFactory.Event("e-1", "sos", new DeviceState(32.06, 118.78), DateTimeOffset.FromUnixTimeMilliseconds(1764039540000));

        Assert.Equal("""{"id":"e-1","type":"sos","ts":1764039540000,"lat":32.06,"lon":118.78,"acc":15}""", json);
    }

    [Fact]
    public void OptionsAreParsedAndBadOnesNamed()
    {
        var options = SimOptions.Parse(["--elders", "5", "--scenario", "sos,smoke", "--protocol", "311", "--api", "http://h:1"]);

        Assert.Equal((5, true, new Uri("http://h:1")), (options.Elders, options.Mqtt311, options.Api));
        Assert.Equal(["sos", "smoke"], options.Scenarios);
        Assert.Contains("--scenario", Assert.Throws<ArgumentException>(() => SimOptions.Parse(["--scenario", "earthquake"])).Message);
        Assert.Contains("--elders", Assert.Throws<ArgumentException>(() => SimOptions.Parse(["--elders", "0"])).Message);
        Assert.Contains("--bogus", Assert.Throws<ArgumentException>(() => SimOptions.Parse(["--bogus"])).Message);
    }
}
