using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Grains.Alarms;
using ElderIoT.Grains.Notifications;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Alarms;

/// <summary>Who a step texts: a maintenance alarm goes to the maintenance list, by day, never to the family.</summary>
public sealed class AlarmNotificationsTests
{
    private static readonly EscalationOptions Escalation = new()
    {
        Maintenance = new() { Recipients = [new() { Name = "维修组", Phone = "+8613100000000", Language = "zh-CN" }] },
    };

    [Theory]
    // 03:00 in Shanghai (UTC+8): held until 07:00 there.
    [InlineData("2026-11-24T19:00:00Z", "2026-11-24T23:00:00Z")]
    // 11:00 in Shanghai: sent at once.
    [InlineData("2026-11-25T03:00:00Z", null)]
    public void ASilentWatchTextsTheMaintenanceListByDayAndNeverTheFamily(string now, string? sendAt)
    {
        var at = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);
        var policy = new AlarmEscalationPolicy(Options.Create(Escalation));
        var notifications = new AlarmNotifications(new AlarmMessageComposer(Options.Create(new NotificationOptions())), Options.Create(Escalation), Options.Create(new NotificationOptions()));
        var elder = new AlarmElder(Guid.NewGuid(), "王秀英", "颐和路12号", "南京市/鼓楼区", "zh-CN", [new Contact("李明", "儿子", "+8613800000001", "zh-CN")]);
        var silent = new AlarmTrigger(AlarmKind.DeviceSilent, AlarmSeverity.Low, new DeviceEvent("w1", "silent-1", DeviceEventType.CentreAlarm, at, null), AlarmSource.Centre);
        var alarm = AlarmLifecycle.Raise(Guid.NewGuid(), elder, silent, at, policy);

        var rows = alarm.TakeDueSteps(at).SelectMany(step => notifications.ForStep(alarm, step, elder, at, [])).ToList();

        var row = Assert.Single(rows);
        Assert.Equal("+8613100000000", row.Recipient);
        Assert.Equal(sendAt is null ? null : DateTimeOffset.Parse(sendAt, System.Globalization.CultureInfo.InvariantCulture), row.NextAttemptAt);
        Assert.Contains("设备维护", row.Body, StringComparison.Ordinal);
    }
}
