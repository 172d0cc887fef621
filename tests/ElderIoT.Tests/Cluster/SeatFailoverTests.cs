using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;

namespace ElderIoT.Tests.Cluster;

/// <summary>Three real nodes; the node that holds a seat's grain is killed while the seat's screens stay open on the others.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class SeatFailoverTests
{
    [Fact]
    public async Task ScreensOnSurvivingNodesSeeAnAlarmRaisedAfterTheNodeHoldingTheirSeatDied()
    {
        await using var cluster = await LocalCluster.StartAsync(3, "--Seats:KeepAliveInterval", "00:00:02", "--Escalation:SweepInterval", "00:00:01");
        var first = cluster.Nodes[0];
        var elder = await first.PostAsync<ElderResponse>("/api/elders", Scenario.ElderBody());
        var device = await first.PostAsync<DeviceRegistration>("/api/devices", new { id = $"sf-{Guid.NewGuid():N}"[..20], kind = "handset", elderId = elder.Id });
        var seatId = $"seat-{Guid.NewGuid():N}"[..20];
        using var seatOnFirst = first.AsSeat(seatId, "南京市");
        await seatOnFirst.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { "南京市" } });
        var screens = new List<SeatStreamReader>();
        foreach (var node in cluster.Nodes)
        {
            screens.Add(await SeatStreamReader.OpenAsync(node.AsSeat(seatId, "南京市").Http, seatId));
        }

        try
        {
            // The seat grain runs where it logged its first screen: kill that node.
            var connectedLine = $"Seat {seatId}: screen connected";
            var host = await TestNode.EventuallyAsync(
                () => Task.FromResult(cluster.Nodes.FindIndex(n => n.Output.Contains(connectedLine))), i => i >= 0, "the node that holds the seat");
            cluster.Nodes[host].KillHard();
            var survivors = Enumerable.Range(0, 3).Where(i => i != host).ToList();

            // The SOS as firmware sends it: again, with the same id, until it is acknowledged.
            var deviceNode = cluster.Nodes[survivors[0]];
            var sos = Scenario.SosJson("sos-1");
            await TestNode.EventuallyAsync(() => TryRaiseAsync(deviceNode.MqttPort, device, sos), raised => raised, "the SOS to be acknowledged", TimeSpan.FromSeconds(90));

            // Whether the offer reached the seat's new grain before or after the screens renewed there,
            // each surviving screen sees the alarm.
            Guid? alarmId = null;
            foreach (var survivor in survivors)
            {
                var seen = await screens[survivor].NextAsync((_, n) => n.Alarm.DeviceId == device.Id, TimeSpan.FromSeconds(60));
                alarmId = seen.Notice.Alarm.Id;
            }

            using var seat = cluster.Nodes[survivors[1]].AsSeat(seatId, "南京市");
            var accepted = await seat.PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/accept");
            Assert.Equal(AlarmStatus.Accepted, accepted.Status);
        }
        finally
        {
            foreach (var screen in screens)
            {
                try
                {
                    await screen.DisposeAsync();
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException)
                {
                    // The screen on the killed node lost its stream.
                }
            }
        }
    }

    private static async Task<bool> TryRaiseAsync(int port, DeviceRegistration device, string sos)
    {
        try
        {
            await using var handset = await MqttDevice.ConnectAsync(port, device.Id, device.Secret);
            return (await handset.PublishEventAsync(sos)).IsSuccess;
        }
        catch (Exception exception) when (exception is InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            return false; // Refused or cut while the cluster settles: send it again.
        }
    }
}
