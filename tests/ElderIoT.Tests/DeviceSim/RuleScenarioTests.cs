using System.Text.Json;
using ElderIoT.DeviceSim;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.DeviceSim;

/// <summary>device-sim's rule scenarios run against a real node: the run fails unless the rules raised what the scenario should.</summary>
public sealed class RuleScenarioTests
{
    [Fact]
    public async Task TheVitalsScenarioRaisesAVitalsAlarmForEachChosenElderAndTheRunSucceeds()
    {
        await using var node = await TestNode.StartAsync();
        var options = new SimOptions
        {
            Api = node.Http.BaseAddress!,
            MqttPort = node.MqttPort,
            Elders = 6,
            Kind = "watch",
            Scenarios = ["vitals"],
            TelemetryInterval = TimeSpan.FromSeconds(2),
            Duration = TimeSpan.FromSeconds(20),
            Seat = $"seat-{Guid.NewGuid():N}",
        };

        var exit = await new SimRun(options, new ApiClient(node.Http), new LiveProgress(interactive: false)).RunAsync(CancellationToken.None);

        Assert.Equal(0, exit);
        var alarms = await node.GetAsync<JsonElement>("/api/alarms?limit=100");
        Assert.Equal(2, alarms.EnumerateArray().Count(a => a.GetProperty("alarm").GetProperty("kind").GetString() == "vitals"));
    }

    [Fact]
    public async Task TheOutageScenarioIsOneOutageOfTheDistrictAndNoDeviceSilentAlarm()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?>
        {
            ["AlarmRules:SweepInterval"] = "00:00:00.500",
            ["AlarmRules:Outage:Window"] = "00:00:05",
        });
        var options = new SimOptions
        {
            Api = node.Http.BaseAddress!,
            MqttPort = node.MqttPort,
            Elders = 12,
            Kind = "watch",
            Scenarios = ["outage"],
            TelemetryInterval = TimeSpan.FromSeconds(2),
            Duration = TimeSpan.FromSeconds(10),
            Seat = $"seat-{Guid.NewGuid():N}",
        };

        var exit = await new SimRun(options, new ApiClient(node.Http), new LiveProgress(interactive: false)).RunAsync(CancellationToken.None);

        Assert.Equal(0, exit);
        var outage = Assert.Single((await node.GetAsync<JsonElement>("/api/outages")).EnumerateArray());
        Assert.Equal("南京市/鼓楼区", outage.GetProperty("scope").GetString());
        Assert.True(outage.GetProperty("peak").GetInt32() >= 10, outage.ToString());
        Assert.DoesNotContain((await node.GetAsync<JsonElement>("/api/alarms?limit=100")).EnumerateArray(),
            a => a.GetProperty("alarm").GetProperty("kind").GetString() == "device_silent");
    }
}
