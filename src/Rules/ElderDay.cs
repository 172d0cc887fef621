namespace ElderIoT.Rules;

/// <summary>
/// The elder's day: when they are up (active hours, 07:00–22:00 by default) and when it is night for
/// them, read in their zone. The one place that answers "is it night for this elder": the inactivity
/// rule does not count a night's sleep, and the not-worn rule does not count a watch taken off for
/// the night. (A door's alarm hours are a setting of their own, <c>AlarmRules:NightHours</c>: the
/// hours in which an opened door is a danger, not the hours the elder sleeps.)
/// </summary>
public sealed class ElderDay(DailyWindow activeHours, TimeZoneInfo zone)
{
    /// <summary>When the elder is up.</summary>
    public DailyWindow ActiveHours { get; } = activeHours;

    /// <summary>The zone the hours are read in.</summary>
    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>Whether it is night for the elder at that instant (outside their active hours).</summary>
    public bool IsNight(DateTimeOffset at) => !ActiveHours.Contains(at, Zone);

    /// <summary>How much of [start, end) the elder was up: the time an absence of steps or of a watch on the wrist counts.</summary>
    public TimeSpan AwakeTime(DateTimeOffset start, DateTimeOffset end) => ActiveHours.Overlap(start, end, Zone);
}
