using ElderIoT.Api.Alarms;
using ElderIoT.Api.Elders;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Tests.Access;

/// <summary>Minimum data in logs: a whole alarm's run logs no name, phone number, address or coordinate at Information or above.</summary>
public sealed class LogPrivacyTests
{
    [Fact]
    public async Task AFullSosRunLogsNoNamePhoneAddressOrCoordinate()
    {
        await using var node = await TestNode.StartAsync();
        var elder = await node.PostAsync<ElderResponse>("/api/elders", new
        {
            name = "欧阳秀兰",
            phone = "+8613912345678",
            address = "南京市秦淮区瞻园路128号",
            district = "南京市/秦淮区/夫子庙街道",
            location = new { lat = 32.0187, lon = 118.7853 },
            contacts = new[] { new { name = "欧阳建国", relation = "儿子", phone = "+8613887654321" } },
        });
        var device = await node.RegisterDeviceAsync(elder.Id);
        await node.PostAsync<object>("/api/seats/seat-log/online", new { districts = new[] { "南京市/秦淮区" } });
        await using var stream = await SeatStreamReader.OpenAsync(node.Http, "seat-log");
        await using (var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret))
        {
            await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""[{"ts":"{{DateTimeOffset.UtcNow:O}}","lat":32.0193,"lon":118.7861,"acc":9,"hr":88}]""");
            await watch.PublishEventAsync($$"""{"id":"log-1","type":"sos","ts":"{{DateTimeOffset.UtcNow:O}}","lat":32.0194,"lon":118.7862,"acc":8}""");
        }

        var alarmId = (await stream.NextAsync((e, _) => e == "offered")).Notice.Alarm.Id;
        using var seat = node.AsSeat("seat-log", "南京市/秦淮区");
        await seat.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
        await seat.PostAsync<object>($"/api/alarms/{alarmId}/accept");
        await seat.PostAsync<object>($"/api/alarms/{alarmId}/resolve", new { outcome = "real_emergency", notes = "欧阳秀兰 跌倒，已送医" });
        await node.PostAsync<object>("/api/seats/seat-log/offline", new { });

        string[] personal = ["欧阳", "秀兰", "+8613912345678", "8613912345678", "13887654321", "瞻园路", "32.018", "32.019", "118.785", "118.786"];
        var leaks = node.Logs.Entries
            .Where(e => e.Level >= LogLevel.Information)
            .Select(e => e.Message + " " + e.Exception)
            .SelectMany(text => personal.Where(p => text.Contains(p, StringComparison.Ordinal)).Select(p => $"'{p}' in: {text[..Math.Min(text.Length, 300)]}"))
            .ToList();

        Assert.True(node.Logs.Entries.Count > 10, "the run logged next to nothing: the scan would prove nothing");
        Assert.True(leaks.Count == 0, "Personal data in the log:\n" + string.Join("\n", leaks));
    }
}
