using System.Globalization;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Elders;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Notifications;

/// <summary>
/// Writes the text a family contact receives, in the contact's language (zh-CN, otherwise English):
/// who, what (every kind of the incident: "smoke, gas leak"), when, where, and that the centre is
/// handling it. Also the maintenance list's text for a device matter.
/// </summary>
public sealed class AlarmMessageComposer(IOptions<NotificationOptions> options)
{
    private readonly TimeZoneInfo _timeZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public string Compose(AlarmSnapshot alarm, AlarmElder elder, Contact contact)
    {
        var local = TimeZoneInfo.ConvertTime(alarm.RaisedAt, _timeZone);
        var position = alarm.Position is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Lat:0.00000},{p.Lon:0.00000}{(p.Accuracy is { } acc ? $" ±{acc:0}m" : "")}")
            : null;
        var centre = options.Value.CentreName;
        var kinds = KindsOf(alarm);

        if (IsChinese(contact.Language))
        {
            var where = position is null ? elder.Address : $"{elder.Address}（定位 {position}）";
            return $"【{centre}】{contact.Name}您好：{elder.Name}于{local:M月d日 HH:mm}触发{AlarmKindWords.Chinese(kinds)}报警，地点：{where}。"
                + "呼叫中心正在处理，请保持电话畅通。";
        }

        var whereEn = position is null ? elder.Address : $"{elder.Address} (GPS {position})";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{centre}] {contact.Name}: {elder.Name} raised {AlarmKindWords.EnglishAlarm(kinds)} at {local:HH:mm} on {local:d MMM} at {whereEn}. The care centre is handling it; please keep your phone on.");
    }

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
}
