using ElderIoT.Api.Alarms;
using ElderIoT.Api.Notifications;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Formatter;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>The rule above all: an alarm a device saw acknowledged is never lost, and deadlines survive restarts.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class DurabilityTests
{
    [Fact]
    public async Task AnSosIsNotAcknowledgedWhileItsAlarmCannotBeStoredAndIsRecordedOnceWhenResent()
    {
        var store = new FailingAlarmStore();
        await using var node = await TestNode.StartAsync(services: store.AddTo);
        var (elder, device) = await node.ElderWithDeviceAsync();
        var sos = Scenario.SosJson("must-not-be-lost");

        store.Failing = true;
        await using (var v5 = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret))
        {
            var refused = await v5.PublishEventAsync(sos);
            Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, refused.ReasonCode);
        }

        await using (var v311 = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret, MqttProtocolVersion.V311))
        {
            // MQTT 3.1.1 has no negative PUBACK: the broker closes the connection instead of acknowledging.
            await Assert.ThrowsAnyAsync<Exception>(() => v311.PublishEventAsync(sos));
            await TestNode.EventuallyAsync(() => Task.FromResult(v311.Client.IsConnected), connected => !connected, "the 3.1.1 connection to close");
        }

        Assert.Empty(await node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));

        store.Failing = false;
        await using var retry = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await retry.PublishEventAsync(sos)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await retry.PublishEventAsync(sos)).ReasonCode);
        Assert.Single(await node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));
        Assert.Contains(node.Logs.Errors, e => e.Message.Contains("could not be recorded; not acknowledged"));
    }

    [Fact]
    public async Task AnEscalationStepDueWhileTheNodeWasDownHappensOnceAfterItComesBack()
    {
        var raisedAt = new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
        var dataDirectory = RepoPaths.TempDirectory("restart");
        Guid alarmId;
        Guid elderId;
        // The default ladder's texts and overdue flag, with no seat offers: with no seat present an
        // offer would take the whole ladder at once, and this test is about deadlines, not seats.
        var ladder = new Dictionary<string, string?>
        {
            ["Escalation:Steps:0:After"] = "00:00:00", ["Escalation:Steps:0:Contacts"] = "First",
            ["Escalation:Steps:1:After"] = "00:01:00", ["Escalation:Steps:1:Contacts"] = "All",
            ["Escalation:Steps:2:After"] = "00:03:00", ["Escalation:Steps:2:FlagOverdue"] = "true",
        };

        await using (var before = await TestNode.StartAsync(ladder, dataDirectory: dataDirectory, services: s => UseClock(s, raisedAt)))
        {
            var (elder, device) = await before.ElderWithDeviceAsync(contacts: 2);
            elderId = elder.Id;
            await using var watch = await MqttDevice.ConnectAsync(before.MqttPort, device.Id, device.Secret);
            Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(Scenario.SosJson("before-crash"))).ReasonCode);
            alarmId = Assert.Single(await before.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elderId}")).Alarm.Id;
            await TestNode.EventuallyAsync(() => before.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}"), d => d.Alarm.EscalationLevel == 1, "the first step");
        }

        await using var after = await TestNode.StartAsync(ladder, dataDirectory: dataDirectory, services: s => UseClock(s, raisedAt.AddSeconds(90)));
        var detail = await TestNode.EventuallyAsync(
            () => after.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}"), d => d.Alarm.EscalationLevel == 2, "the 60 s step after the restart");

        // Wake it again the way a second sweep or a second node would: nothing more may happen.
        var alarm = after.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlarmGrain>(alarmId);
        await alarm.AdvanceEscalationAsync();
        await alarm.AdvanceEscalationAsync();
        detail = await after.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
        var notifications = await after.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}");

        Assert.Equal(AlarmStatus.Open, detail.Alarm.Status);
        Assert.Equal(2, detail.Alarm.EscalationLevel);
        Assert.Single(detail.Timeline, t => t.Type == "escalated");
        Assert.Single(notifications, n => n.Step == 1);
        Assert.Equal(2, notifications.Count(n => n.Step == 2));
        Assert.Equal(2, notifications.Where(n => n.Step == 2).Select(n => n.Recipient).Distinct().Count());
        // This node has no SMS provider: nothing is sent, and the record says why.
        await TestNode.EventuallyAsync(() => after.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}"),
            list => list.All(n => n.Status == "not_sent" && n.LastError!.Contains("Twilio is not configured")), "the texts to be recorded as not sent");
    }

    private static void UseClock(IServiceCollection services, DateTimeOffset now) =>
        services.AddKeyedSingleton<TimeProvider>(ElderIoTClock.Key, new FakeTimeProvider(now));
}
