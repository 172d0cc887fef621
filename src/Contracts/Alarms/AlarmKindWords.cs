namespace ElderIoT.Contracts.Alarms;

/// <summary>
/// What each kind of alarm is called, in the centre's two languages: one place for the family's
/// texts and for what a seat reads. English with its article ("an SOS alarm", "a fall alarm").
/// </summary>
public static class AlarmKindWords
{
    public static string Chinese(AlarmKind kind) => kind switch
    {
        AlarmKind.Sos => "紧急呼叫（SOS）",
        AlarmKind.Fall => "跌倒",
        AlarmKind.Smoke => "烟雾",
        AlarmKind.Gas => "燃气泄漏",
        AlarmKind.Water => "漏水",
        AlarmKind.Wandering => "走失（离开安全区域）",
        AlarmKind.DangerZone => "进入危险区域",
        AlarmKind.Vitals => "生命体征异常",
        AlarmKind.Inactivity => "长时间无活动",
        AlarmKind.DeviceSilent => "设备失联",
        AlarmKind.LowBattery => "设备电量低",
        AlarmKind.NotWorn => "手表未佩戴",
        AlarmKind.Door => "夜间门磁开启",
        _ => kind.ToString(),
    };

    public static string English(AlarmKind kind) => kind switch
    {
        AlarmKind.Sos => "SOS",
        AlarmKind.Fall => "fall",
        AlarmKind.Smoke => "smoke",
        AlarmKind.Gas => "gas leak",
        AlarmKind.Water => "water leak",
        AlarmKind.Wandering => "wandering (left a safe zone)",
        AlarmKind.DangerZone => "danger zone",
        AlarmKind.Vitals => "vital signs",
        AlarmKind.Inactivity => "inactivity",
        AlarmKind.DeviceSilent => "silent device",
        AlarmKind.LowBattery => "low battery",
        AlarmKind.NotWorn => "watch not worn",
        AlarmKind.Door => "door at night",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>"an SOS alarm", "a fall alarm": the article goes by the sound, and SOS is said "ess-oh-ess".</summary>
    public static string EnglishAlarm(AlarmKind kind) => (kind == AlarmKind.Sos ? "an " : "a ") + English(kind) + " alarm";

    /// <summary>Every kind of an incident, in the order they came: "smoke, gas leak".</summary>
    public static string EnglishList(IEnumerable<AlarmKind> kinds) => string.Join(", ", kinds.Distinct().Select(English));

    /// <summary>"a smoke, gas leak alarm": an incident named by everything that happened in it.</summary>
    public static string EnglishAlarm(IEnumerable<AlarmKind> kinds)
    {
        var list = kinds.Distinct().ToList();
        return list.Count switch
        {
            0 => "an alarm",
            1 => EnglishAlarm(list[0]),
            _ => (list[0] == AlarmKind.Sos ? "an " : "a ") + EnglishList(list) + " alarm",
        };
    }

    /// <summary>"烟雾、燃气泄漏": every kind of an incident, in the order they came.</summary>
    public static string Chinese(IEnumerable<AlarmKind> kinds) => string.Join("、", kinds.Distinct().Select(Chinese));
}
