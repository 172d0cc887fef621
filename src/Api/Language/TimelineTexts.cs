using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Records;

namespace ElderIoT.Api.Language;

/// <summary>
/// An alarm's timeline in the reader's language: each entry's kind as a title, and its detail
/// written from the values the alarm grain stored with it (<see cref="AlarmTimelineRecord.Parameters"/>).
/// An entry without values (written before they were kept) keeps the English text of its record.
/// </summary>
public static class TimelineTexts
{
    public static AlarmTimelineEntry Render(AlarmTimelineRecord record) =>
        new(record.At, record.Type, record.Actor, Detail(record)?.Render() ?? record.Detail, Title(record.Type).Render());

    private static LocalizedText Title(string type) => type switch
    {
        "raised" => new("报警触发", "Alarm raised"),
        "joined" => new("并入报警", "Joined the alarm"),
        "anomaly" => new("设备数据异常", "Something wrong in the device's data"),
        "offered" => new("推送给坐席", "Offered to seats"),
        "no_seat_present" => new("无坐席在岗", "No seat present"),
        "accepted" => new("坐席已接警", "Accepted by a seat"),
        "cancel_requested" => new("老人请求取消", "The elder cancelled"),
        "overdue" => new("超时未接", "Overdue"),
        "escalated" => new("升级", "Escalated"),
        "resolved" => new("已结案", "Resolved"),
        "no_contact" => new("无联系人", "No contact"),
        "sms_queued" => new("短信排队待发", "Text queued"),
        "sms_sent" => new("短信已发出", "Text sent"),
        "sms_delivered" => new("短信已送达", "Text delivered"),
        "sms_failed" => new("短信发送失败", "Text failed"),
        "sms_not_sent" => new("短信未发送", "Text not sent"),
        "call_queued" => new("电话排队待拨", "Call queued"),
        "call_placed" => new("电话已拨出", "Call placed"),
        "call_not_placed" => new("电话未拨出", "Call not placed"),
        "call_failed" => new("电话拨打失败", "Call failed"),
        "call_busy" => new("电话占线", "Line busy"),
        "call_no_answer" => new("电话无人接听", "Call not answered"),
        "call_answered_without_confirming" => new("电话已接听但未按1", "Call answered without a 1"),
        "call_canceled" => new("电话已取消", "Call cancelled"),
        "call_no_callback" => new("电话无结果回报", "No word on the call"),
        "family_going" => new("家属正在前往", "Family member going"),
        "family_message" => new("家属留言", "Message from the family"),
        "wandering_detail" => new("离开安全区域", "Left a safe zone"),
        "danger_zone_detail" => new("进入危险区域", "Entered a danger zone"),
        "locate_requested" => new("已请求定位", "Locate requested"),
        "located" => new("已定位", "Located"),
        "locate_unanswered" => new("定位无应答", "Locate unanswered"),
        "severity_raised" => new("报警级别提升", "Severity raised"),
        "cancel_ignored" => new("取消不适用", "Cancel ignored for scope"),
        "recovered" => new("已恢复", "Recovered"),
        "vitals_detail" => new("生命体征超出范围", "Vital signs out of range"),
        "inactivity_detail" => new("长时间无活动", "No activity"),
        "device_silent_detail" => new("设备失联", "Device silent"),
        "low_battery_detail" => new("电量低", "Battery low"),
        "not_worn_detail" => new("手表未佩戴", "Watch not worn"),
        "door_detail" => new("夜间开门", "Door opened at night"),
        "rule_recovered" => new("已恢复", "Recovered"),
        "note_added" => new("备注", "Note"),
        _ => LocalizedText.Verbatim(type),
    };

    /// <summary>The title of an entry's kind in the reader's language ("备注" / "Note").</summary>
    public static string TitleOf(string type) => Title(type).Render();

    private static LocalizedText? Detail(AlarmTimelineRecord record)
    {
        var p = record.Parameters;
        string At(int i) => i < p.Count ? p[i] : "";
        return (record.Type, p.Count) switch
        {
            (_, 0) => Fixed(record.Type),
            ("raised", >= 2) => Raised(At(0), At(1), At(2)) is { } raised && At(3).Length > 0 ? new($"{raised.ZhCn}；{At(3)}", $"{raised.En}; {At(3)}") : Raised(At(0), At(1), At(2)),
            ("joined", >= 2) => Kind(At(0)) is { } kind
                ? new($"设备 {At(1)} 的{AlarmKindWords.Chinese(kind)}报警并入此报警", $"{AlarmKindWords.EnglishAlarm(kind)} from device {At(1)}")
                : null,
            ("anomaly", >= 2) => EnumNames.TryParseSnakeCase<EventAnomalyKind>(At(0), out var anomaly)
                ? new($"{AnomalyZh(anomaly)}：{At(1)}", At(1))
                : null,
            ("offered", >= 1) => Offered(At(0), string.Join(", ", p.Skip(1))),
            ("overdue", 1) when At(0) == "no_seat_present" => new("没有坐席可以接警：立即标记给主管", "no seat is present to take the alarm: flagged for supervisors at once"),
            ("overdue", 2) => new($"触发后 {At(1)} 秒仍未被接警", $"not accepted {At(1)} s after the raise"),
            ("escalated", 2) => new($"第 {At(0)} 级：触发后 {At(1)} 秒仍未被接警", $"step {At(0)}: not accepted {At(1)} s after the raise"),
            ("resolved", >= 1) => Outcome(At(0)) is { } outcome
                ? new(p.Count > 1 ? $"{outcome.ZhCn}：{At(1)}" : outcome.ZhCn, p.Count > 1 ? $"{outcome.En}: {At(1)}" : outcome.En)
                : null,
            ("severity_raised", 3) => Kind(At(2)) is { } raisedBy
                ? new($"{SeverityZh(At(0))} → {SeverityZh(At(1))}（{AlarmKindWords.Chinese(raisedBy)}）：重新开始升级流程", $"{At(0)} → {At(1)} ({AlarmKindWords.English(raisedBy)}): the ladder starts again")
                : null,
            ("cancel_requested", >= 1) => Kinds(p) is { Count: > 0 } covered
                ? new($"老人在设备上取消了{AlarmKindWords.Chinese(covered)}报警；须由坐席确认", $"the elder cancelled the {AlarmKindWords.EnglishList(covered)} alarm on the device; a seat must confirm")
                : null,
            ("cancel_ignored", >= 2) => Kinds(p.Skip(1)) is { Count: > 0 } notCovered
                ? new($"设备 {At(0)} 的取消不适用于{AlarmKindWords.Chinese(notCovered)}报警（非该设备触发）", $"the cancel from device {At(0)} does not cover {AlarmKindWords.EnglishList(notCovered)} (not raised by it)")
                : null,
            ("recovered", 3) => Kind(At(0)) is { } recovered
                ? new($"设备 {At(1)} 的{AlarmKindWords.Chinese(recovered)}已恢复（{At(2)}）", $"{AlarmKindWords.English(recovered)} from device {At(1)} recovered ({At(2)})")
                : null,
            ("sms_queued", 3) => new($"{At(0)}（{At(1)}）{At(2)}", $"{At(0)} ({At(1)}) {At(2)}"),
            ("call_queued", 3) => new($"{At(0)}（{At(1)}）{At(2)}", $"{At(0)} ({At(1)}) {At(2)}"),
            // A delivery report or a call's end: who, and what the provider said (its own words).
            (var t, >= 1) when t.StartsWith("sms_", StringComparison.Ordinal) || t.StartsWith("call_", StringComparison.Ordinal) => LocalizedText.Verbatim(p.Count > 1 ? $"{At(0)}: {At(1)}" : At(0)),
            // A note: the writer's own words, in whatever language they wrote.
            ("note_added", >= 1) => LocalizedText.Verbatim(At(0)),
            // A family answer: who, from which number, and what they wrote (their own words).
            (var t, >= 4) when t.StartsWith("family_", StringComparison.Ordinal) => LocalizedText.Verbatim(At(3).Length > 0 ? $"{At(0)} {At(1)}: {At(3)}" : $"{At(0)} {At(1)}"),
            _ => null,
        };
    }

    private static LocalizedText? Fixed(string type) => type switch
    {
        "cancel_requested" => new("老人在设备上取消了报警；须由坐席确认", "the elder cancelled on the device; a seat must confirm"),
        "no_seat_present" => new("没有在岗且屏幕在线的坐席可以接收此报警", "no seat is on duty with a screen connected to offer the alarm to"),
        "no_contact" => new("老人没有可以发短信的联系人", "the elder has no contact to text"),
        _ => null,
    };

    private static LocalizedText? Raised(string kindWord, string deviceId, string deviceTime) =>
        Kind(kindWord) is not { } kind ? null : deviceTime.Length == 0
            ? new($"设备 {deviceId} 发出{AlarmKindWords.Chinese(kind)}报警（无设备时间）", $"{AlarmKindWords.EnglishAlarm(kind)} from device {deviceId} (no device time)")
            : new($"设备 {deviceId} 发出{AlarmKindWords.Chinese(kind)}报警（设备时间 {deviceTime}）", $"{AlarmKindWords.EnglishAlarm(kind)} from device {deviceId} (device time {deviceTime})");

    private static LocalizedText Offered(string scope, string seats) => scope switch
    {
        "district" => new($"本辖区坐席：{seats}", $"district seats: {seats}"),
        "all_no_district_seat" => new($"本辖区无坐席在线，推送给所有在线坐席：{seats}", $"no district seat present, all present seats: {seats}"),
        _ => new($"所有在线坐席：{seats}", $"all present seats: {seats}"),
    };

    private static List<AlarmKind> Kinds(IEnumerable<string> words) => [.. words.Select(Kind).OfType<AlarmKind>()];

    private static string SeverityZh(string word) => EnumNames.TryParseSnakeCase<AlarmSeverity>(word, out var severity)
        ? severity switch
        {
            AlarmSeverity.Critical => "紧急",
            AlarmSeverity.High => "高",
            AlarmSeverity.Medium => "中",
            _ => "低",
        }
        : word;

    private static AlarmKind? Kind(string word) => EnumNames.TryParseSnakeCase<AlarmKind>(word, out var kind) ? kind : null;

    private static LocalizedText? Outcome(string word) => EnumNames.TryParseSnakeCase<AlarmOutcome>(word, out var outcome)
        ? outcome switch
        {
            AlarmOutcome.RealEmergency => new("真实紧急情况", "real emergency"),
            AlarmOutcome.FalseAlarm => new("误报", "false alarm"),
            AlarmOutcome.CancelledByElder => new("老人取消", "cancelled by the elder"),
            AlarmOutcome.NoContact => new("未能联系上", "no contact"),
            AlarmOutcome.Test => new("测试", "test"),
            AlarmOutcome.SelfCleared => new("已自行恢复，无人接警前关闭", "cleared itself before anyone took it"),
            _ => LocalizedText.Verbatim(word),
        }
        : null;

    /// <summary>The anomaly's kind in Chinese; the device's own diagnostic follows as it was (values, parse errors).</summary>
    private static string AnomalyZh(EventAnomalyKind kind) => kind switch
    {
        EventAnomalyKind.IdMissing => "缺少事件 id",
        EventAnomalyKind.IdReused => "事件 id 被重复使用",
        EventAnomalyKind.ClockAhead => "设备时钟超前",
        EventAnomalyKind.ClockBehind => "设备时钟未设置或滞后",
        EventAnomalyKind.ClockUnreadable => "设备时间无法读取",
        EventAnomalyKind.PositionRefused => "定位不可用",
        EventAnomalyKind.PayloadMalformed => "报文损坏",
        EventAnomalyKind.ArrivedLate => "事件迟到（设备离线时缓存）",
        _ => kind.ToString(),
    };
}
