using System.Net;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Notifications;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>Twilio's delivery reports: an undelivered text shows on the alarm; a forged report is refused.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class DeliveryReportTests(NodeFixture fixture)
{
    private const string CallbackUrl = "http://127.0.0.1:5080/api/notifications/twilio-status";

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task AnUndeliveredTextIsRecordedAndPutOnTheAlarmTimeline()
    {
        // One contact: with no seat present every contact is texted at once, and this test follows one text.
        var (elder, device) = await Node.ElderWithDeviceAsync(contacts: 1);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("delivery"));
        var alarmId = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;
        var sms = Assert.Single(await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}"), n => n.Count == 1 && n[0].Status == "sent", "the text to be sent"));

        using var forged = await ReportAsync(sms.Id, "delivered", signature: "bm90IGEgc2lnbmF0dXJl");
        using var report = await ReportAsync(sms.Id, "undelivered", errorCode: "30003");
        using var late = await ReportAsync(sms.Id, "delivered");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, late.StatusCode);
        var after = Assert.Single(await Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarmId}"));
        Assert.Equal(("failed", "Twilio reports undelivered (error 30003)"), (after.Status, after.LastError));
        var detail = await TestNode.EventuallyAsync(
            () => Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}"), d => d.Timeline.Any(t => t.Type == "sms_failed"), "the failure on the timeline");
        Assert.Contains("30003", detail.Timeline.Single(t => t.Type == "sms_failed").Detail);
    }

    private async Task<HttpResponseMessage> ReportAsync(Guid notificationId, string status, string? errorCode = null, string? signature = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
            ["MessageStatus"] = status,
            ["AccountSid"] = PrismMock.AccountSid,
        };
        if (errorCode is not null)
        {
            fields["ErrorCode"] = errorCode;
        }

        var query = $"?notificationId={notificationId}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/twilio-status{query}") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioStatusCallback.Sign("test-token", CallbackUrl + query, fields));
        return await Node.Http.SendAsync(request);
    }
}
