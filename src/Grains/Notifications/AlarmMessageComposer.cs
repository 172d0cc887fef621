using System.Globalization;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Records;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Notifications;

/// <summary>
/// Writes the text a family contact receives, in the contact's language (zh-CN, otherwise English):
/// who, what, when, where, and that the centre is handling it.
/// </summary>
public sealed class AlarmMessageComposer(IOptions<NotificationOptions> options)
{
    private readonly TimeZoneInfo _timeZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public string Compose(AlarmSnapshot alarm, ElderRecord elder, ContactRecord contact)
    {
        var local = TimeZoneInfo.ConvertTime(alarm.RaisedAt, _timeZone);
        var position = alarm.Position is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Lat:0.00000},{p.Lon:0.00000}{(p.Accuracy is { } acc ? $" ±{acc:0}m" : "")}")
            : null;
        var centre = options.Value.CentreName;

        if (contact.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
        {
            var where = position is null ? elder.Address : $"{elder.Address}（定位 {position}）";
            return $"【{centre}】{contact.Name}您好：{elder.Name}于{local:M月d日 HH:mm}触发{AlarmKindWords.Chinese(alarm.Kind)}报警，地点：{where}。"
                + "呼叫中心正在处理，请保持电话畅通。";
        }

        var whereEn = position is null ? elder.Address : $"{elder.Address} (GPS {position})";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{centre}] {contact.Name}: {elder.Name} raised {AlarmKindWords.EnglishAlarm(alarm.Kind)} at {local:HH:mm} on {local:d MMM} at {whereEn}. The care centre is handling it; please keep your phone on.");
    }
}
