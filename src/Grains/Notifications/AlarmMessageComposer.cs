using System.Globalization;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Elders;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Notifications;

/// <summary>
/// Everything a family contact reads or hears, in the contact's language (zh-CN, otherwise English):
/// who, what (every kind of the incident: "smoke, gas leak"), when, where, and what to do. A later step
/// says how long the alarm has waited, so the first contact, texted again, does not get the same text
/// twice. Also the maintenance list's text for a device matter.
/// </summary>
public sealed class AlarmMessageComposer(IOptions<NotificationOptions> options)
{
    private readonly TimeZoneInfo _timeZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    /// <summary>The text of a step that comes <paramref name="waited"/> after the raise (under a second: the first step).</summary>
    public string Text(AlarmSnapshot alarm, AlarmElder elder, Contact contact, TimeSpan waited)
    {
        var centre = options.Value.CentreName;
        var kinds = KindsOf(alarm);
        var chinese = IsChinese(contact.Language);
        var (when, where, seconds) = Facts(alarm, elder, chinese, waited);
        if (chinese)
        {
            return seconds is null
                ? $"【{centre}】{contact.Name}您好：{elder.Name}于{when}触发{AlarmKindWords.Chinese(kinds)}报警，地点：{where}。呼叫中心正在处理，请保持电话畅通；如您能前往，请回复1或“到”。"
                : $"【{centre}】{contact.Name}您好：{elder.Name}于{when}触发的{AlarmKindWords.Chinese(kinds)}报警，{seconds}秒后仍无坐席接警，地点：{where}。请尽快联系或前往；如您能前往，请回复1或“到”。";
        }

        return seconds is null
            ? $"[{centre}] {contact.Name}: {elder.Name} raised {AlarmKindWords.EnglishAlarm(kinds)} at {when} at {where}. The care centre is handling it; please keep your phone on. Reply 1 if you can go."
            : $"[{centre}] {contact.Name}: {elder.Name}'s {AlarmKindWords.EnglishList(kinds)} alarm of {when} is still not answered after {seconds} s. Where: {where}. Please call or go; reply 1 if you are going.";
    }

    /// <summary>What a call says: the same facts, said rather than written, and the question to press 1.</summary>
    public string Speech(AlarmSnapshot alarm, AlarmElder elder, Contact contact, TimeSpan waited)
    {
        var centre = options.Value.CentreName;
        var kinds = KindsOf(alarm);
        // A call reads the address, not coordinates: digits and ± are noise when spoken.
        var chinese = IsChinese(contact.Language);
        var (when, _, seconds) = Facts(alarm, elder, chinese, waited);
        if (chinese)
        {
            var late = seconds is null ? "" : $"已经过了{seconds}秒，仍没有坐席接警。";
            return $"您好，这里是{centre}呼叫中心。{elder.Name}于{when}触发了{AlarmKindWords.Chinese(kinds)}报警，地址：{elder.Address}。{late}如果您能前往，请按1。";
        }

        var lateEn = seconds is null ? "" : $" It is still not answered after {seconds} seconds.";
        return $"Hello, this is the {centre} care centre. {elder.Name} raised {AlarmKindWords.EnglishAlarm(kinds)} at {when}, at {elder.Address}.{lateEn} If you can go, press 1.";
    }

    /// <summary>Said after the contact pressed 1.</summary>
    public static string Thanks(string language) => IsChinese(language)
        ? "谢谢，已告知呼叫中心您正在前往。"
        : "Thank you. The care centre knows you are going.";

    /// <summary>Said when the contact pressed another key, or none.</summary>
    public static string NotUnderstood(string language) => IsChinese(language)
        ? "没有收到按键1。呼叫中心将联系下一位联系人。"
        : "We did not get a 1. The care centre will call the next contact.";

    /// <summary>For the maintenance list: which device, whose, what is wrong; no health detail.</summary>
    public string ComposeMaintenance(AlarmSnapshot alarm, AlarmElder? elder, string language)
    {
        var local = TimeZoneInfo.ConvertTime(alarm.RaisedAt, _timeZone);
        var centre = options.Value.CentreName;
        var kinds = KindsOf(alarm);
        var devices = string.Join(", ", alarm.Devices.Count > 0 ? alarm.Devices : [alarm.DeviceId]);
        return IsChinese(language)
            ? $"【{centre}】设备维护：{elder?.Name ?? ""}（{elder?.Address ?? alarm.District}）的设备 {devices}：{AlarmKindWords.Chinese(kinds)}，{local:M月d日 HH:mm}。"
            : string.Create(CultureInfo.InvariantCulture,
                $"[{centre}] Maintenance: device {devices} of {elder?.Name ?? ""} ({elder?.Address ?? alarm.District}): {AlarmKindWords.EnglishList(kinds)} since {local:HH:mm} on {local:d MMM}.");
    }

    private static IReadOnlyList<AlarmKind> KindsOf(AlarmSnapshot alarm) => alarm.Kinds.Count > 0 ? alarm.Kinds : [alarm.Kind];

    private static bool IsChinese(string language) => language.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    private (string When, string Where, long? Seconds) Facts(AlarmSnapshot alarm, AlarmElder elder, bool chinese, TimeSpan waited)
    {
        var local = TimeZoneInfo.ConvertTime(alarm.RaisedAt, _timeZone);
        var position = alarm.Position is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Lat:0.00000},{p.Lon:0.00000}{(p.Accuracy is { } acc ? $" ±{acc:0}m" : "")}")
            : null;
        var when = chinese
            ? local.ToString("M月d日 HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("HH:mm 'on' d MMM", CultureInfo.InvariantCulture);
        var where = position is null ? elder.Address : chinese ? $"{elder.Address}（定位 {position}）" : $"{elder.Address} (GPS {position})";
        // The first step (or steps taken together at the raise, with no seat present) has not waited.
        long? seconds = waited >= TimeSpan.FromSeconds(1) ? (long)waited.TotalSeconds : null;
        return (when, where, seconds);
    }
}
