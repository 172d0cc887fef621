using System.Net;
using System.Net.Http.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>The seat's queue through the API, from real devices over MQTT: critical first, then oldest.</summary>
[Collection(NodeCollection.Name)]
public sealed class AlarmQueueTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task TheAlarmListIsCriticalFirstThenOldestAndSaysEachSeverity()
    {
        var district = $"南京市/区{Guid.NewGuid():N}";
        var sensor = await Node.RegisterDeviceAsync((await Node.CreateElderAsync(district, contacts: 0)).Id, kind: "sensor");
        var (_, firstWatch) = await Node.ElderWithDeviceAsync(district, contacts: 0);
        var (_, secondWatch) = await Node.ElderWithDeviceAsync(district, contacts: 0);
        await using (var water = await MqttDevice.ConnectAsync(Node.MqttPort, sensor.Id, sensor.Secret))
        {
            await water.PublishEventAsync(Scenario.SosJson("1", type: "water"));
        }

        await using (var watch = await MqttDevice.ConnectAsync(Node.MqttPort, firstWatch.Id, firstWatch.Secret))
        {
            await watch.PublishEventAsync(Scenario.SosJson("1"));
        }

        await using (var watch = await MqttDevice.ConnectAsync(Node.MqttPort, secondWatch.Id, secondWatch.Secret))
        {
            await watch.PublishEventAsync(Scenario.SosJson("1"));
        }

        var queue = await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?district={Uri.EscapeDataString(district)}");

        Assert.Equal([AlarmSeverity.Critical, AlarmSeverity.Critical, AlarmSeverity.High], queue.Select(a => a.Alarm.Severity));
        Assert.Equal([firstWatch.Id, secondWatch.Id, sensor.Id], queue.Select(a => a.Alarm.DeviceId));
        Assert.Equal([AlarmKind.Water], queue[2].Alarm.Kinds);
    }

    [Fact]
    public async Task ASeatCannotCloseAnAlarmAsSelfCleared()
    {
        using var response = await Node.Http.PostAsJsonAsync($"/api/alarms/{Guid.NewGuid()}/resolve", new { seatId = "seat-a", outcome = "self_cleared" });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("outcome", body, StringComparison.Ordinal);
    }
}
