using System.Net;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Notifications;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// Twilio's webhooks on a node that texts through Twilio's OpenAPI mock: delivery reports and family
/// replies reach the alarm; nothing unsigned or wrongly signed is used, and each refusal is counted.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class TwilioWebhookTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private TwilioWebhookClient Twilio => fixture.Twilio;

    [Fact]
    public async Task AnUndeliveredTextIsRecordedAndPutOnTheAlarmTimeline()
    {
        // One contact: with no seat present every contact is texted at once, and this test follows one text.
        var (alarmId, _) = await SosAsync(contacts: 1);
        var sms = Assert.Single(await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}"), n => n.Count == 1 && n[0].Status == "sent", "the text to be sent"));

        using var report = await Twilio.SmsStatusAsync(sms.Id, "undelivered", errorCode: "30003");
        using var late = await Twilio.SmsStatusAsync(sms.Id, "delivered");

        Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, late.StatusCode);
        var after = Assert.Single(await Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}"));
        Assert.Equal(("failed", "Twilio reports undelivered (error 30003)", "undelivered"), (after.Status, after.LastError, after.ProviderStatus));
        var detail = await TimelineAsync(alarmId, "sms_failed");
        Assert.Contains("30003", detail.Timeline.Single(t => t.Type == "sms_failed").Detail);
    }

    [Fact]
    public async Task ASupervisorFindsEveryFailedTextAcrossAlarmsInOnePlace()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var district = $"南京市/浦口区/江浦街道/{Random.Shared.Next(100000, 999999)}社区";
        var alarms = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var (elder, device) = await Node.ElderWithDeviceAsync(district: district, contacts: 1);
            await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
            await watch.PublishEventAsync(Scenario.SosJson($"list-{i}"));
            alarms.Add(Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id);
        }

        var texts = new List<NotificationResponse>();
        foreach (var alarm in alarms)
        {
            texts.Add(Assert.Single(await TestNode.EventuallyAsync(
                () => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarm}"), n => n.Count == 1 && n[0].Status == "sent", "the text")));
        }

        // Two of the three never arrive.
        (await Twilio.SmsStatusAsync(texts[0].Id, "undelivered", "30003")).Dispose();
        (await Twilio.SmsStatusAsync(texts[2].Id, "failed", "30008")).Dispose();
        var range = $"from={Uri.EscapeDataString(since.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}";
        var where = $"district={Uri.EscapeDataString(district)}&{range}";

        var failed = await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?status=failed&channel=sms&{where}"), n => n.Count == 2, "both failed texts");
        var firstPage = await Node.GetAsync<List<NotificationResponse>>($"/api/notifications?{where}&limit=2");
        var secondPage = await Node.GetAsync<List<NotificationResponse>>($"/api/notifications?{where}&limit=2&offset=2");
        var calls = await Node.GetAsync<List<NotificationResponse>>($"/api/notifications?channel=voice&{where}");

        Assert.Equal(new[] { texts[2].Id, texts[0].Id }.Order(), failed.Select(n => n.Id).Order());
        Assert.Equal(3, firstPage.Concat(secondPage).Select(n => n.Id).Distinct().Count());
        Assert.Empty(calls);
        using var refused = await Node.Http.GetAsync($"/api/notifications?status=lost&channel=pigeon&limit=0");
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("status", problem);
        Assert.Contains("channel", problem);
        Assert.Contains("limit", problem);
    }

    public static TheoryData<string> Webhooks => [TwilioWebhooks.SmsStatus, TwilioWebhooks.CallStatus, TwilioWebhooks.Gather, TwilioWebhooks.Inbound, TwilioWebhooks.CareCallStatus];

    [Theory]
    [MemberData(nameof(Webhooks))]
    public async Task EveryWebhookRefusesUnsignedAndWronglySignedRequestsAndCountsThem(string path)
    {
        var (alarmId, elder) = await SosAsync(contacts: 1);
        var notification = (await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}"), n => n.Count == 1 && n[0].Status == "sent", "the text to be sent"))[0];
        var fields = new Dictionary<string, string>
        {
            ["MessageStatus"] = "undelivered", ["CallStatus"] = "busy", ["Digits"] = "1",
            ["From"] = elder.Contacts[0].Phone, ["Body"] = "1", ["AccountSid"] = PrismMock.AccountSid,
        };
        Guid? id = path == TwilioWebhooks.Inbound ? null : notification.Id;
        var rightUrl = TwilioWebhooks.Url(NodeFixture.PublicBaseUrl, path, id).AbsoluteUri;
        using var refusals = new CounterRecorder(Node, "elderiot.api.requests_refused");

        var answers = new List<HttpStatusCode>();
        foreach (var signature in new[]
        {
            "", // none at all
            "bm90IGEgc2lnbmF0dXJl", // not Twilio's
            TwilioWebhookClient.Sign("another-token", rightUrl, fields), // another account's token
            TwilioWebhookClient.Sign(NodeFixture.AuthToken, Node.Http.BaseAddress + path, fields), // the node's own address, not the one Twilio was given
            TwilioWebhookClient.Sign(NodeFixture.AuthToken, rightUrl, fields.Where(f => f.Key != "Body")), // a field added after signing
        })
        {
            using var response = await Twilio.PostAsync(path, id, fields, signature);
            answers.Add(response.StatusCode);
        }

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Forbidden, status));
        Assert.Equal(5, refusals.Count("reason", "bad_signature"));
        // Nothing of what they said was used: the text is still sent, and no family reply is on the alarm.
        Assert.Equal("sent", Assert.Single(await Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}")).Status);
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
        Assert.DoesNotContain(detail.Timeline, t => t.Type is "sms_failed" or "family_going" or "family_message");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("到")]
    [InlineData(" Going ")]
    [InlineData("yes.")]
    public async Task AFamilyReplyThatSaysGoingIsOnTheTimeline(string reply)
    {
        var (alarmId, elder) = await SosAsync(contacts: 2);
        var contact = elder.Contacts[1];
        await TestNode.EventuallyAsync(() => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}"), n => n.Count == 2, "the texts");

        using var response = await Twilio.InboundAsync(contact.Phone, reply);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<Response></Response>", Strip(await response.Content.ReadAsStringAsync()));
        var entry = (await TimelineAsync(alarmId, "family_going")).Timeline.Single(t => t.Type == "family_going");
        Assert.Contains(contact.Name, entry.Detail);
        Assert.Contains(contact.Phone, entry.Detail);
    }

    [Fact]
    public async Task AnyOtherReplyIsShownAsAMessageFromTheFamily()
    {
        var (alarmId, elder) = await SosAsync(contacts: 1);
        await TestNode.EventuallyAsync(() => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}"), n => n.Count == 1, "the text");

        using var response = await Twilio.InboundAsync(elder.Contacts[0].Phone, "我在外地，邻居张阿姨有钥匙 13900001111");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var detail = await TimelineAsync(alarmId, "family_message");
        Assert.Contains("我在外地，邻居张阿姨有钥匙 13900001111", detail.Timeline.Single(t => t.Type == "family_message").Detail);
        Assert.DoesNotContain(detail.Timeline, t => t.Type == "family_going");
    }

    [Fact]
    public async Task AReplyFromAnUnknownNumberIsAnsweredButRecordedNowhere()
    {
        var (alarmId, _) = await SosAsync(contacts: 1);
        using var replies = new CounterRecorder(Node, "elderiot.notifications.replies");

        using var response = await Twilio.InboundAsync("+19995550123", "1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, replies.Count("result", "unmatched"));
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
        Assert.DoesNotContain(detail.Timeline, t => t.Type.StartsWith("family_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReplyGoesToTheAlarmThatReachedTheNumberLast()
    {
        var (first, elder) = await SosAsync(contacts: 1);
        await TestNode.EventuallyAsync(() => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={first}"), n => n.Count == 1, "the first text");
        var seat = $"seat-{Guid.NewGuid():N}";
        await Node.AsSeat(seat, Scenario.District).PostAsync<object>($"/api/alarms/{first}/accept");
        await Node.AsSeat(seat, Scenario.District).PostAsync<object>($"/api/alarms/{first}/resolve", new { outcome = "false_alarm" });
        var second = await SosOfAsync(elder, $"second-{Guid.NewGuid():N}");
        await TestNode.EventuallyAsync(() => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={second}"), n => n.Count == 1, "the second text");

        using var response = await Twilio.InboundAsync(elder.Contacts[0].Phone, "到");

        await TimelineAsync(second, "family_going");
        Assert.DoesNotContain((await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{first}")).Timeline, t => t.Type == "family_going");
    }

    private static string Strip(string xml) => xml.Replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "").Trim();

    private Task<AlarmDetailResponse> TimelineAsync(Guid alarmId, string type) => TestNode.EventuallyAsync(
        () => Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}"), d => d.Timeline.Any(t => t.Type == type), $"{type} on the timeline");

    private async Task<(Guid AlarmId, Api.Elders.ElderResponse Elder)> SosAsync(int contacts)
    {
        var (elder, device) = await Node.ElderWithDeviceAsync(contacts: contacts);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("reply"));
        return (Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id, elder);
    }

    private async Task<Guid> SosOfAsync(Api.Elders.ElderResponse elder, string eventId)
    {
        var device = await Node.RegisterDeviceAsync(elder.Id);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson(eventId));
        var open = await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}&status=open"), a => a.Count == 1, "the second alarm");
        return open[0].Alarm.Id;
    }
}
