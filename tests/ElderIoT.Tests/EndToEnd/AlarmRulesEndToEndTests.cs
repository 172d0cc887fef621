using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>The detection rules through a real node and a real MQTT device: what a seat sees when a watch's readings go wrong or it falls silent.</summary>
public sealed class AlarmRulesEndToEndTests
{
    [Fact]
    public async Task EightBadReadingsFromAWatchRaiseOneVitalsAlarmThatCarriesTheReadingsAndLogsIt()
    {
        await using var node = await TestNode.StartAsync();
        var (elder, device) = await node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        var start = DateTimeOffset.UtcNow.AddMinutes(-4);
        for (var i = 0; i < 8; i++)
        {
            var reading = $$"""{"ts":{{start.AddSeconds(30 * i).ToUnixTimeMilliseconds()}},"hr":180,"spo2":85,"sbp":210,"dbp":100}""";
            Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishAsync($"devices/{device.Id}/telemetry", reading)).ReasonCode);
        }

        var alarms = await TestNode.EventuallyAsync(() => AlarmsOfAsync(node, elder.Id), a => a.Count > 0, "a vitals alarm");
        var alarm = Assert.Single(alarms);
        Assert.Equal(AlarmKind.Vitals, alarm.Kind);
        var detail = await TestNode.EventuallyAsync(
            () => node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm.Id}"),
            d => d.Timeline.Count(t => t.Type == "vitals_detail") >= 3,
            "heart rate, SpO2 and pressure on the timeline");
        var notes = detail.Timeline.Where(t => t.Type == "vitals_detail").Select(t => t.Detail!).ToList();
        Assert.Contains(notes, n => n.Contains("heart rate high beyond 115") && n.Contains("180 at"));
        Assert.Contains(notes, n => n.Contains("SpO2 low beyond 92") && n.Contains("85 at"));
        Assert.Contains(notes, n => n.Contains("systolic pressure high beyond 170") && n.Contains("210 at"));
        Assert.Contains(node.Logs.Entries, e => e.EventId.Id == 9101 && e.Message.Contains("Vitals"));
    }

    [Fact]
    public async Task TheReadingsThatFiredAVitalsAlarmAndItsLimitAreOnTheAlarmTheSeatIsOfferedItsCardAndStillThereAfterARestart()
    {
        var dataDirectory = RepoPaths.TempDirectory("vitals-findings");
        var seatId = $"seat-{Guid.NewGuid():N}";
        var district = $"南京市/测试区{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        long[] times = [now.AddSeconds(-90).ToUnixTimeMilliseconds(), now.AddSeconds(-60).ToUnixTimeMilliseconds(), now.AddSeconds(-30).ToUnixTimeMilliseconds()];
        int[] beats = [38, 36, 39];
        Guid alarmId;
        await using (var node = await TestNode.StartAsync(dataDirectory: dataDirectory))
        {
            await node.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { district } });
            var (elder, device) = await node.ElderWithDeviceAsync($"{district}/宁海路街道/颐和路社区");
            using var put = await node.Http.PutAsJsonAsync($"/api/elders/{elder.Id}/vital-thresholds", new { heartRateLow = 40 });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            await using var stream = await SeatStreamReader.OpenAsync(node.Http, seatId);
            await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
            for (var i = 0; i < 3; i++)
            {
                var reading = $$"""{"ts":{{times[i]}},"hr":{{beats[i]}},"worn":true}""";
                Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishAsync($"devices/{device.Id}/telemetry", reading)).ReasonCode);
            }

            var (_, offer) = await stream.NextAsync((e, n) => e == "offered" && n.Alarm.ElderId == elder.Id);
            alarmId = offer.Alarm.Id;
            AssertHeartRateFinding(offer.Alarm, device.Id);
            AssertHeartRateFinding((await node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}")).Alarm, device.Id);
        }

        await using var restarted = await TestNode.StartAsync(dataDirectory: dataDirectory);
        var afterRestart = await restarted.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
        AssertHeartRateFinding(afterRestart.Alarm, afterRestart.Alarm.DeviceId);

        void AssertHeartRateFinding(AlarmSnapshot alarm, string deviceId)
        {
            var finding = Assert.Single(alarm.Findings);
            Assert.Equal((AlarmKind.Vitals, deviceId, "heart_rate_low", (double?)40), (finding.Kind, finding.DeviceId, finding.Detail.Condition, finding.Detail.Threshold));
            Assert.Equal(
                [.. times.Zip(beats, (t, b) => (AlarmReadingKind.HeartRate, (double)b, DateTimeOffset.FromUnixTimeMilliseconds(t)))],
                finding.Detail.Readings.Select(r => (r.Kind, r.Value, r.At.ToUniversalTime())).ToArray());
        }
    }

    [Fact]
    public async Task ASingleBadReadingPagesNoOneAndAnOwnLimitTakesEffect()
    {
        await using var node = await TestNode.StartAsync();
        var (elder, device) = await node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        var now = DateTimeOffset.UtcNow;
        await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""{"ts":{{now.AddSeconds(-60).ToUnixTimeMilliseconds()}},"hr":190}""");

        // A limit of the elder's own: 100 is high for them. Setting it rebuilds the rule, so the run starts afresh.
        using var put = await node.Http.PutAsJsonAsync($"/api/elders/{elder.Id}/vital-thresholds", new { heartRateHigh = 100 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(100, (await node.GetAsync<VitalThresholds>($"/api/elders/{elder.Id}/vital-thresholds")).HeartRateHigh);
        Assert.Empty(await AlarmsOfAsync(node, elder.Id));

        for (var i = 0; i < 3; i++)
        {
            await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""{"ts":{{now.AddSeconds(-50 + i * 10).ToUnixTimeMilliseconds()}},"hr":105}""");
        }

        var alarm = Assert.Single(await TestNode.EventuallyAsync(() => AlarmsOfAsync(node, elder.Id), a => a.Count > 0, "a vitals alarm at the elder's own limit"));
        Assert.Equal(AlarmKind.Vitals, alarm.Kind);
    }

    [Theory]
    [InlineData("heartRateHigh", 400)]
    [InlineData("heartRateLow", 0)]
    [InlineData("spO2Low", 100)]
    [InlineData("sustainReadings", 1)]
    public async Task AnAbsurdLimitIsRefusedNamingTheField(string field, int value)
    {
        await using var node = await TestNode.StartAsync();
        var elder = await node.CreateElderAsync();

        using var response = await node.Http.PutAsJsonAsync($"/api/elders/{elder.Id}/vital-thresholds", new Dictionary<string, int> { [field] = value });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(59)]
    [InlineData(315_360_000)]
    public async Task ADeviceReportingIntervalOutOfRangeIsRefusedAndAGoodOneIsOnItsCard(int seconds)
    {
        await using var node = await TestNode.StartAsync();
        var (_, device) = await node.ElderWithDeviceAsync();

        using var bad = await node.Http.PutAsJsonAsync($"/api/devices/{device.Id}/supervision", new { reportEverySeconds = seconds });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reportEverySeconds", out _));

        using var good = await node.Http.PutAsJsonAsync($"/api/devices/{device.Id}/supervision", new { reportEverySeconds = 3600 });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), (await node.GetAsync<DeviceStatus>($"/api/devices/{device.Id}")).ReportEvery);
    }

    [Fact]
    public async Task AWatchSwitchedOffRaisesDeviceSilentItsCardSaysOfflineAndComingBackIsRecorded()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?>
        {
            ["AlarmRules:ReportEvery:Watch"] = "00:00:02",
            ["AlarmRules:SweepInterval"] = "00:00:00.250",
            ["AlarmRules:Outage:Window"] = "00:00:00.500",
        });
        var (elder, device) = await node.ElderWithDeviceAsync();
        await using (var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret))
        {
            await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"battery":80,"worn":true}""");
            var card = await node.GetAsync<DeviceStatus>($"/api/devices/{device.Id}");
            Assert.True(card.Online);
            Assert.Equal((80, (bool?)true), (card.Battery, card.Worn));
        }

        // The records learn the last-seen time within the snapshot writer's flush (10 s); the sweep then finds it.
        var alarm = Assert.Single(await TestNode.EventuallyAsync(() => AlarmsOfAsync(node, elder.Id), a => a.Count > 0, "a device_silent alarm", TimeSpan.FromSeconds(40)));
        Assert.Equal(AlarmKind.DeviceSilent, alarm.Kind);
        var offline = await node.GetAsync<DeviceStatus>($"/api/devices/{device.Id}");
        Assert.False(offline.Online);
        Assert.NotNull(offline.SilentSince);

        await using var back = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        var online = await node.GetAsync<DeviceStatus>($"/api/devices/{device.Id}");
        Assert.True(online.Online);
        Assert.Null(online.SilentSince);
        await TestNode.EventuallyAsync(
            () => node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm.Id}"),
            d => d.Timeline.Any(t => t.Type == "rule_recovered" && t.Detail!.Contains("device back")),
            "the device's return on the alarm's timeline");
    }

    [Fact]
    public async Task ABatteryAt4PercentRaisesLowBattery()
    {
        await using var node = await TestNode.StartAsync();
        var (elder, device) = await node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"battery":4}""");

        var alarm = Assert.Single(await TestNode.EventuallyAsync(() => AlarmsOfAsync(node, elder.Id), a => a.Count > 0, "a low_battery alarm"));
        Assert.Equal(AlarmKind.LowBattery, alarm.Kind);
    }

    [Fact]
    public async Task TheDevicesOwnLowBatteryEventRaisesLowBattery()
    {
        await using var node = await TestNode.StartAsync();
        var (elder, device) = await node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);

        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync("""{"id":"b1","type":"low_battery"}""")).ReasonCode);

        // The acknowledgement comes once the alarm is stored: no waiting.
        Assert.Equal(AlarmKind.LowBattery, Assert.Single(await AlarmsOfAsync(node, elder.Id)).Kind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ADoorOpenedInTheNightHoursRaisesAndByDayIsOnlyRecorded(bool night)
    {
        // Night hours around now, or the hours away from it, in the centre's zone.
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        var hours = night ? $"{local.AddHours(-1):HH:mm}-{local.AddHours(1):HH:mm}" : $"{local.AddHours(2):HH:mm}-{local.AddHours(-2):HH:mm}";
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["AlarmRules:NightHours"] = hours });
        var elder = await node.CreateElderAsync();
        var sensor = await node.RegisterDeviceAsync(elder.Id, "sensor");
        await using var door = await MqttDevice.ConnectAsync(node.MqttPort, sensor.Id, sensor.Secret);

        Assert.Equal(MqttClientPublishReasonCode.Success, (await door.PublishEventAsync("""{"id":"d1","type":"door"}""")).ReasonCode);

        var alarms = await AlarmsOfAsync(node, elder.Id);
        if (night)
        {
            Assert.Equal(AlarmKind.Door, Assert.Single(alarms).Kind);
        }
        else
        {
            Assert.Empty(alarms);
        }
    }

    private static async Task<List<AlarmSnapshot>> AlarmsOfAsync(TestNode node, Guid elderId) =>
        [.. (await node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elderId}")).Select(a => a.Alarm)];
}
