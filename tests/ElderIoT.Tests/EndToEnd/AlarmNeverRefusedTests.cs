using System.Text;
using ElderIoT.Api.Alarms;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// An SOS from a device whose clock, GPS or event counter is wrong is still an elder asking for help:
/// the alarm is raised, what was wrong is flagged on it, and only a message whose type cannot be read
/// is refused. Over real MQTT, in both protocol versions.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class AlarmNeverRefusedTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    public static TheoryData<MqttProtocolVersion, string, string> BrokenSurroundings()
    {
        var data = new TheoryData<MqttProtocolVersion, string, string>();
        var cases = new (string Fields, string Flag)[]
        {
            ("\"ts\":\"{in an hour}\"", "device clock 1 h ahead"),
            ("\"ts\":5000", "device clock not set"),
            ("\"ts\":\"2000-01-01T00:03:12Z\"", "device clock not set"),
            ("\"ts\":\"yesterday\"", "device time unreadable"),
            ("\"lat\":91,\"lon\":118.79", "position missing: lat: 91 is outside -90..90"),
            ("\"lat\":32.06", "position missing: lat and lon"),
            ("\"acc\":\"far\",\"lat\":32.06,\"lon\":118.79", "position missing: acc: must be a number"),
        };
        foreach (var version in new[] { MqttProtocolVersion.V500, MqttProtocolVersion.V311 })
        {
            foreach (var (fields, flag) in cases)
            {
                data.Add(version, fields, flag);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenSurroundings))]
    public async Task AnSosWithABrokenClockOrPositionRaisesAnAlarmFlaggedOnItsTimeline(MqttProtocolVersion version, string fields, string flag)
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, version);

        var ack = await watch.PublishEventAsync($$"""{"id":"b-1","type":"sos",{{fields.Replace("{in an hour}", DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}}}""");

        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        var alarm = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm;
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm.Id}");
        Assert.Contains(detail.Timeline, t => t.Type == "anomaly" && t.Detail!.Contains(flag, StringComparison.Ordinal));
        Assert.True(watch.Client.IsConnected);
    }

    [Fact]
    public async Task TheSeatSeesWhatWasWrongWithTheSosItIsOffered()
    {
        var seatId = $"seat-{Guid.NewGuid():N}";
        var district = $"南京市/异常区{Guid.NewGuid():N}";
        await Node.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { district } });
        var (elder, device) = await Node.ElderWithDeviceAsync($"{district}/街道");
        await using var stream = await SeatStreamReader.OpenAsync(Node.Http, seatId);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var deviceTime = DateTimeOffset.UtcNow.AddHours(1);

        await watch.PublishEventAsync($$"""{"id":"s-1","type":"sos","ts":{{deviceTime.ToUnixTimeMilliseconds()}},"lat":91,"lon":118.79}""");

        var (_, offer) = await stream.NextAsync((e, n) => e == "offered" && n.Alarm.ElderId == elder.Id);
        Assert.Null(offer.Alarm.Position);
        Assert.True(offer.Alarm.RaisedAt < deviceTime.AddMinutes(-30), "raised at receipt time, not at the device's time");
        Assert.Equal(
            [EventAnomalyKind.ClockAhead, EventAnomalyKind.PositionRefused],
            offer.Alarm.Anomalies.Select(a => a.Kind).Order().ToArray());
        Assert.Contains(offer.Alarm.Anomalies, a => a.Detail.StartsWith("position missing: lat: 91", StringComparison.Ordinal));
        Assert.Contains(offer.Alarm.Anomalies, a => a.Detail.StartsWith("device clock 1 h ahead: raised at receipt time, device time kept", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task AnSosWithoutAnIdRaisesOneAlarmAndItsResendIsADuplicate(MqttProtocolVersion version)
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, version);
        var json = """{"type":"sos","lat":32.06,"lon":118.79}""";

        var first = await watch.PublishEventAsync(json);
        var resent = await watch.PublishEventAsync(json);

        Assert.Equal(MqttClientPublishReasonCode.Success, first.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, resent.ReasonCode);
        var alarm = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm;
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm.Id}");
        Assert.Single(detail.Timeline, t => t.Type is "raised" or "joined");
        Assert.Contains(detail.Timeline, t => t.Type == "anomaly" && t.Detail!.StartsWith("event id missing", StringComparison.Ordinal));
    }

    /// <summary>
    /// U+0000 is valid JSON and valid Unicode, but PostgreSQL text cannot hold it: the SOS could not be
    /// stored, so it was never acknowledged and the device resent it forever.
    /// </summary>
    [Fact]
    public async Task AnSosWhoseIdHoldsANulCharacterIsAcknowledgedAndRaisedOnceOnEveryProvider()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var json = """{"id":"nul\u0000id","type":"sos","note":"a\u0000b","lat":32.06,"lon":118.79}""";

        var first = await watch.PublishEventAsync(json);
        var resent = await watch.PublishEventAsync(json);

        Assert.True(first.ReasonCode == MqttClientPublishReasonCode.Success, $"{first.ReasonCode}: {first.ReasonString}");
        Assert.Equal(MqttClientPublishReasonCode.Success, resent.ReasonCode);
        var alarm = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm;
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm.Id}");
        Assert.Single(detail.Timeline, t => t.Type is "raised" or "joined");
    }

    [Fact]
    public async Task AnIdReusedAfterADoorEventStillRaisesTheSosAndNotesTheReuse()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        // The door opened at the last noon in the centre's zone: by day, so it raises nothing of its own (a door at night would).
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var noon = new DateTimeOffset(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(-1), shanghai).Date.AddHours(12), TimeSpan.FromHours(8));
        var earlier = (noon > DateTimeOffset.UtcNow.AddHours(-1) ? noon.AddDays(-1) : noon).ToUnixTimeMilliseconds();
        var later = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sos = $$"""{"id":"r1","type":"sos","ts":{{later}}}""";

        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync($$"""{"id":"r1","type":"door","ts":{{earlier}}}""")).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(sos)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(sos)).ReasonCode);

        var alarm = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm;
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm.Id}");
        Assert.Single(detail.Timeline, t => t.Type is "raised" or "joined");
        Assert.Contains(detail.Timeline, t => t.Type == "anomaly" && t.Detail!.StartsWith("event id r1 reused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSameIdAndTypeAtAnotherDeviceTimeIsANewSos()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        await watch.PublishEventAsync($$"""{"id":"1","type":"sos","ts":{{DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds()}}}""");
        var alarm = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm;
        var seat = $"seat-{Guid.NewGuid():N}";
        await Node.AsSeat(seat, Scenario.District).PostAsync<object>($"/api/alarms/{alarm.Id}/accept");
        await Node.AsSeat(seat, Scenario.District).PostAsync<object>($"/api/alarms/{alarm.Id}/resolve", new { outcome = "false_alarm" });
        // The watch restarted: its counter begins at 1 again.
        var again = await watch.PublishEventAsync($$"""{"id":"1","type":"sos","ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}""");

        Assert.Equal(MqttClientPublishReasonCode.Success, again.ReasonCode);
        var alarms = await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}");
        Assert.Equal(2, alarms.Count);
        Assert.Single(alarms, a => a.Alarm.Status == AlarmStatus.Open);
    }

    public static TheoryData<MqttProtocolVersion, string, byte[], bool> UnreadableText()
    {
        var data = new TheoryData<MqttProtocolVersion, string, byte[], bool>();
        var cases = new (string Topic, byte[] Payload, bool Raises)[]
        {
            ("events", Utf8("{\"id\":\"u1\",\"type\":\"sos\",\"note\":\"", [0xC3, 0x28, 0xFF], "\"}"), true),
            ("events", Utf8("{\"id\":\"", [0xFF, 0xFE], "\",\"type\":\"sos\"}"), true),
            ("events", Encoding.UTF8.GetBytes("{\"id\":\"\\ud800\",\"type\":\"fall\"}"), true),
            ("events", Encoding.UTF8.GetBytes("{\"id\":\"u4\",\"type\":\"sos\",\"ts\":\"\\udc00\"}"), true),
            ("events", Utf8("{\"id\":\"u5\",\"type\":\"s", [0xFF], "s\"}"), false),
            ("events", Encoding.UTF8.GetBytes("{\"id\":\"u6\",\"type\":\"\\ud83d\"}"), false),
            ("telemetry", Encoding.UTF8.GetBytes("{\"ts\":\"\\ud800\",\"hr\":70}"), false),
            ("telemetry", Utf8("{\"ts\":\"", [0xC0, 0xAF], "\",\"hr\":70}"), false),
        };
        foreach (var version in new[] { MqttProtocolVersion.V500, MqttProtocolVersion.V311 })
        {
            foreach (var (topic, payload, raises) in cases)
            {
                data.Add(version, topic, payload, raises);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UnreadableText))]
    public async Task TextThatIsNotValidUnicodeIsRefusedOrRaisedAndTheConnectionStays(MqttProtocolVersion version, string topic, byte[] payload, bool raises)
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, version);

        var result = await watch.Client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"devices/{device.Id}/{topic}")
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        if (version == MqttProtocolVersion.V500)
        {
            var expected = raises ? MqttClientPublishReasonCode.Success : MqttClientPublishReasonCode.PayloadFormatInvalid;
            Assert.True(expected == result.ReasonCode, $"{result.ReasonCode}: {result.ReasonString}");
            Assert.False(string.IsNullOrEmpty(result.ReasonString) && !raises, "a refusal says why");
        }

        Assert.True(watch.Client.IsConnected);
        Assert.Equal(raises ? 1 : 0, (await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Count);
        var after = await watch.PublishEventAsync(Scenario.SosJson("after-unreadable"));
        Assert.Equal(MqttClientPublishReasonCode.Success, after.ReasonCode);
        Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));
    }

    private static byte[] Utf8(string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];
}
