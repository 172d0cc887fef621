using System.Globalization;

namespace ElderIoT.Rules;

/// <summary>
/// A window of local time that repeats every day (active hours 07:00–22:00, night hours 22:00–06:00).
/// <see cref="From"/> after <see cref="To"/> crosses midnight; equal bounds are the whole day. The one
/// place that answers "is this instant inside" and "how much of this span was inside" for every rule.
/// </summary>
public readonly record struct DailyWindow(TimeOnly From, TimeOnly To)
{
    /// <summary>Parses "HH:mm-HH:mm" (the configuration's form).</summary>
    public static DailyWindow Parse(string text)
    {
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
        {
            throw new FormatException($"'{text}' is not a daily window HH:mm-HH:mm");
        }

        return new DailyWindow(from, to);
    }

    /// <summary>Whether the local time of day is inside the window.</summary>
    public bool Contains(TimeOnly time) => From == To
        || (From < To ? time >= From && time < To : time >= From || time < To);

    /// <summary>Whether the instant, read in the zone, is inside the window.</summary>
    public bool Contains(DateTimeOffset at, TimeZoneInfo zone) => Contains(TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime));

    /// <summary>How much of [start, end) lies inside the window, read in the zone.</summary>
    public TimeSpan Overlap(DateTimeOffset start, DateTimeOffset end, TimeZoneInfo zone)
    {
        if (end <= start)
        {
            return TimeSpan.Zero;
        }

        if (From == To)
        {
            return end - start;
        }

        // Day by day from the local day before the start (a window that began the evening before).
        var total = TimeSpan.Zero;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime).AddDays(-1);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(end, zone).DateTime);
        for (; day <= lastDay; day = day.AddDays(1))
        {
            var windowStart = Local(day, From, zone);
            var windowEnd = Local(From < To ? day : day.AddDays(1), To, zone);
            var s = windowStart > start ? windowStart : start;
            var e = windowEnd < end ? windowEnd : end;
            if (e > s)
            {
                total += e - s;
            }
        }

        return total;
    }

    public override string ToString() => $"{From:HH\\:mm}-{To:HH\\:mm}";

    private static DateTimeOffset Local(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // The clock skipped this time (summer time): the window starts when the clock resumes.
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
