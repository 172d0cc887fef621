using System.Net;
using System.Net.Http.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Notifications;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>The whole path: a device publishes over real MQTT, the alarm appears in REST and on the seat's stream.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class AlarmSpineTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task SosFromARegisteredWatchIsAcknowledgedOfferedToTheDistrictSeatAndListed()
    {
        var seatId = $"seat-{Guid.NewGuid():N}";
        var district = $"南京市/测试区{Guid.NewGuid():N}";
        await Node.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { district } });
        var (elder, device) = await Node.ElderWithDeviceAsync($"{district}/宁海路街道/颐和路社区");
        await using var stream = await SeatStreamReader.OpenAsync(Node.Http, seatId);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        var ack = await watch.PublishEventAsync(Scenario.SosJson("e-1"));

        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        var (eventName, offer) = await stream.NextAsync((e, n) => n.Alarm.ElderId == elder.Id);
        Assert.Equal("offered", eventName);
        Assert.Equal(AlarmKind.Sos, offer.Alarm.Kind);
        Assert.Equal(elder.Name, offer.ElderName);

        var open = await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?status=open&elderId={elder.Id}");
        var listed = Assert.Single(open);
        Assert.Equal(offer.Alarm.Id, listed.Alarm.Id);

        // The first contact is texted through Twilio's API (its OpenAPI mock), and the seat sees it went out.
        var detail = await TestNode.EventuallyAsync(
            () => Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{offer.Alarm.Id}"), d => d.Timeline.Count == 4, "the SMS outcome on the timeline");
        Assert.Equal(["raised", "offered", "sms_queued", "sms_sent"], detail.Timeline.Select(t => t.Type).ToArray());
        Assert.Equal("sms_sent", (await stream.NextAsync((e, n) => n.Alarm.Id == offer.Alarm.Id && e.StartsWith("sms_"))).Event);
        var sms = Assert.Single(await Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={offer.Alarm.Id}"));
        Assert.Equal(("sent", 1, "李明"), (sms.Status, sms.Attempts, sms.RecipientName));
        Assert.StartsWith("SM", sms.ProviderMessageId);
        Assert.Contains("王秀英", sms.Body);
        Assert.Contains("呼叫中心正在处理", sms.Body);
        Assert.Equal("李明", detail.Elder.Profile.Contacts[0].Name);
        Assert.NotNull(detail.Elder.LastKnownPosition);
        Assert.Equal(32.0604, detail.Elder.LastKnownPosition!.Position.Lat, 4);
    }

    [Fact]
    public async Task ResendingTheSameEventIdRaisesOneAlarm()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        var json = Scenario.SosJson("same-id");
        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(json)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(json)).ReasonCode);

        var alarms = await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}");
        var alarm = Assert.Single(alarms);
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm.Alarm.Id}");
        Assert.Single(detail.Timeline, t => t.Type is "raised" or "joined");
    }

    [Fact]
    public async Task ASecondFallWhileTheSosIsOpenJoinsIt()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        await watch.PublishEventAsync(Scenario.SosJson("a"));
        await watch.PublishEventAsync(Scenario.SosJson("b", "fall"));

        var alarm = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm.Alarm.Id}");
        Assert.Contains(detail.Timeline, t => t.Type == "joined" && t.Detail!.StartsWith("a fall alarm from device", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AcceptedByOneSeatTheAlarmIsAConflictForAnotherAndOnlyTheHolderResolvesIt()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var told = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.Client.ApplicationMessageReceivedAsync += e =>
        {
            told.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await watch.Client.SubscribeAsync($"devices/{device.Id}/commands", MqttQualityOfServiceLevel.AtLeastOnce);
        await watch.PublishEventAsync(Scenario.SosJson("x"));
        var alarmId = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;

        var accepted = await Node.AsSeat("seat-a", Scenario.District).PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/accept");
        using var stolen = await Node.AsSeat("seat-b", Scenario.District).Http.PostAsJsonAsync($"/api/alarms/{alarmId}/accept", new { });
        using var wrongResolver = await Node.AsSeat("seat-b", Scenario.District).Http.PostAsJsonAsync($"/api/alarms/{alarmId}/resolve", new { outcome = "false_alarm" });
        var resolved = await Node.AsSeat("seat-a", Scenario.District).PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/resolve", new { outcome = "false_alarm", notes = "pressed by accident" });

        Assert.Equal(AlarmStatus.Accepted, accepted.Status);
        Assert.Contains("\"type\":\"alarm_accepted\"", await told.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.Conflict, stolen.StatusCode);
        Assert.Equal("application/problem+json", stolen.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, wrongResolver.StatusCode);
        Assert.Equal(AlarmStatus.Resolved, resolved.Status);
        Assert.Equal(AlarmOutcome.FalseAlarm, resolved.Outcome);
    }

    [Fact]
    public async Task AfterResolutionTheNextSosRaisesANewAlarm()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("first"));
        var first = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;
        await Node.AsSeat("s1", Scenario.District).PostAsync<AlarmSnapshot>($"/api/alarms/{first}/accept");
        await Node.AsSeat("s1", Scenario.District).PostAsync<AlarmSnapshot>($"/api/alarms/{first}/resolve", new { outcome = "test" });

        await watch.PublishEventAsync(Scenario.SosJson("second"));

        var alarms = await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}");
        Assert.Equal(2, alarms.Count);
        Assert.Equal(AlarmStatus.Open, alarms[0].Alarm.Status);
    }
}
