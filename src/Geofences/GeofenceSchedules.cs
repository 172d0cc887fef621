using ElderIoT.Contracts.Geofences;

namespace ElderIoT.Geofences;

/// <summary>Whether a zone's schedule covers a moment, in the elder's own time zone.</summary>
public static class GeofenceSchedules
{
    /// <summary>
    /// True when <paramref name="schedule"/> is null (always), or the local time falls in a window that
    /// starts on one of its days. A window across midnight (from after to) that starts on Monday covers
    /// Monday from its start and Tuesday until its end.
    /// </summary>
    public static bool Covers(this GeofenceSchedule? schedule, DateTimeOffset at, TimeZoneInfo timeZone)
    {
        if (schedule is null)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(at, timeZone);
        var minute = local.Hour * 60 + local.Minute;
        var from = schedule.FromMinute;
        var to = schedule.ToMinute;
        if (from == to)
        {
            return schedule.Days.Contains(local.DayOfWeek); // The whole day.
        }

        if (from < to)
        {
            return schedule.Days.Contains(local.DayOfWeek) && minute >= from && minute < to;
        }

        var yesterday = (DayOfWeek)(((int)local.DayOfWeek + 6) % 7);
        return (minute >= from && schedule.Days.Contains(local.DayOfWeek))
            || (minute < to && schedule.Days.Contains(yesterday));
    }
}
