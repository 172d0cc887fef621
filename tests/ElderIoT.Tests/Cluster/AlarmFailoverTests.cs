using System.Net.Http.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Tests.Cluster;

/// <summary>Three real nodes on PostgreSQL and Redis; the node that holds an alarm is killed while it escalates.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class AlarmFailoverTests
{
    /// <summary>Offer to the district at once, to every seat and contact after 25 s; overdue much later.</summary>
    private static readonly string[] Ladder =
    [
        "--Escalation:Steps:0:After", "00:00:00", "--Escalation:Steps:0:Seats", "District", "--Escalation:Steps:0:Contacts", "First",
        "--Escalation:Steps:1:After", "00:00:25", "--Escalation:Steps:1:Seats", "All", "--Escalation:Steps:1:Contacts", "All",
        "--Escalation:Steps:2:After", "01:00:00", "--Escalation:Steps:2:FlagOverdue", "true",
        "--Escalation:SweepInterval", "00:00:01",
        "--Seats:KeepAliveInterval", "00:00:02",
    ];

    [Fact]
    public async Task AnAlarmWhoseNodeIsKilledComesBackElsewhereEscalatesOnceAndASeatOnAnotherNodeAcceptsIt()
    {
        await using var cluster = await LocalCluster.StartAsync(3, Ladder);
        var first = cluster.Nodes[0];
        var elder = await first.PostAsync<ElderResponse>("/api/elders", Scenario.ElderBody(contacts: 2));
        var device = await first.PostAsync<DeviceRegistration>("/api/devices", new { id = $"fo-{Guid.NewGuid():N}"[..20], kind = "watch", elderId = elder.Id });
        var seatId = $"seat-{Guid.NewGuid():N}"[..20];
        using var seatOnFirst = first.AsSeat(seatId, "南京市/鼓楼区");
        await seatOnFirst.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { "南京市/鼓楼区" } });

        // One seat with a screen on every node: whichever node dies, two screens are left.
        var screens = new List<SeatStreamReader>();
        foreach (var node in cluster.Nodes)
        {
            screens.Add(await SeatStreamReader.OpenAsync(node.AsSeat(seatId, "南京市/鼓楼区").Http, seatId));
        }

        try
        {
            await using var watch = await MqttDevice.ConnectAsync(first.MqttPort, device.Id, device.Secret);
            var sos = await watch.PublishEventAsync(Scenario.SosJson("1"));
            Assert.True(sos.IsSuccess, sos.ReasonString);
            var offered = await screens[0].NextAsync((e, _) => e == "offered");
            var alarmId = offered.Notice.Alarm.Id;

            // The node whose alarm grain raised it holds it: kill it there.
            var raisedLine = $"Alarm {alarmId} raised";
            var host = await TestNode.EventuallyAsync(
                () => Task.FromResult(cluster.Nodes.FindIndex(n => n.Output.Contains(raisedLine))), i => i >= 0, "the node that raised the alarm");
            cluster.Nodes[host].KillHard();
            var survivor = Enumerable.Range(0, 3).First(i => i != host);

            // The second step, due 25 s after the raise, is taken by the node the alarm came back on.
            var escalated = await screens[survivor].NextAsync((e, n) => e == "escalated" && n.Alarm.Id == alarmId, TimeSpan.FromSeconds(90));
            Assert.Equal(2, escalated.Notice.Alarm.EscalationLevel);
            using var seat = cluster.Nodes[survivor].AsSeat(seatId, "南京市/鼓楼区");
            var accepted = await seat.PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/accept");
            Assert.Equal(AlarmStatus.Accepted, accepted.Status);

            // Exactly once: one offer to all seats on the timeline, one text per contact for step 2, one node took it.
            var detail = await cluster.Nodes[survivor].GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
            Assert.Equal(2, detail.Timeline.Count(t => t.Type == "offered"));
            await using (var records = cluster.Servers.OpenRecords())
            {
                Assert.Equal(2, await records.Notifications.CountAsync(n => n.AlarmId == alarmId && n.Step == 2));
                Assert.Equal(1, await records.Notifications.CountAsync(n => n.AlarmId == alarmId && n.Step == 1));
            }

            var stepLine = $"Alarm {alarmId} escalation step 2 taken";
            Assert.True(cluster.Nodes.Sum(n => CountOf(n.Output, stepLine)) == 1, cluster.Output);
            Assert.DoesNotContain(stepLine, cluster.Nodes[host].Output);
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

    private static int CountOf(string text, string line)
    {
        var count = 0;
        for (var at = text.IndexOf(line, StringComparison.Ordinal); at >= 0; at = text.IndexOf(line, at + line.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
