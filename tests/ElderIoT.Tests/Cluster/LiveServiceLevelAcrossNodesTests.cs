using ElderIoT.Api.Alarms;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Cluster;

/// <summary>Two real nodes: a seat's stream on one sees the figures change when its alarm is raised and accepted through the other.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class LiveServiceLevelAcrossNodesTests
{
    [Fact]
    public async Task AStreamOnOneNodeSeesAnAcceptanceMadeThroughTheOther()
    {
        await using var cluster = await LocalCluster.StartAsync(2, "--Seats:KeepAliveInterval", "00:00:02");
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        var district = $"南京市/集群区{Guid.NewGuid():N}"[..20];
        var elder = await a.PostAsync<ElderResponse>("/api/elders", Scenario.ElderBody(district: $"{district}/街道"));
        var device = await a.PostAsync<DeviceRegistration>("/api/devices", new { id = $"ls-{Guid.NewGuid():N}"[..20], kind = "handset", elderId = elder.Id });
        var seatId = $"seat-{Guid.NewGuid():N}"[..20];
        using var seatOnA = a.AsSeat(seatId, district);
        using var seatOnB = b.AsSeat(seatId, district);
        await seatOnB.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { district } });
        await using var screen = await SeatStreamReader.OpenAsync(seatOnB.Http, seatId);
        Assert.Equal(0, (await screen.NextDataAsync("service_level", timeout: TimeSpan.FromSeconds(60))).GetProperty("figures").GetProperty("alarms").GetInt32());

        await using (var handset = await MqttDevice.ConnectAsync(a.MqttPort, device.Id, device.Secret))
        {
            Assert.True((await handset.PublishEventAsync(Scenario.SosJson("sos-1"))).IsSuccess);
        }

        var alarm = Assert.Single(await a.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm;
        var raised = await screen.NextDataAsync("service_level", d => d.GetProperty("figures").GetProperty("alarms").GetInt32() == 1, TimeSpan.FromSeconds(30));
        await seatOnA.PostAsync<AlarmSnapshot>($"/api/alarms/{alarm.Id}/accept");
        var accepted = await screen.NextDataAsync("service_level", d => d.GetProperty("figures").GetProperty("unaccepted").GetInt32() == 0, TimeSpan.FromSeconds(30));

        Assert.Equal(1, raised.GetProperty("figures").GetProperty("unaccepted").GetInt32());
        Assert.Equal(1, accepted.GetProperty("figures").GetProperty("acceptedWithin180Seconds").GetProperty("count").GetInt32());
        Assert.Equal(1, accepted.GetProperty("figures").GetProperty("timeToAccept").GetProperty("count").GetInt32());
    }
}
