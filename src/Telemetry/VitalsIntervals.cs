namespace ElderIoT.Telemetry;

/// <summary>
/// Where the intervals of a vitals chart start: on the centre's clock, not at the query's
/// <c>from</c> (which is often "now − 24 h" with seconds and milliseconds). An interval that divides
/// a day starts on a multiple of itself from local midnight (5m at :00, :05 …; 1h on the hour); a day
/// or more starts at local midnight; any other interval on its whole unit (7m on a whole minute).
/// Both stores call this, so the embedded store and InfluxDB draw the same buckets.
/// </summary>
public static class VitalsIntervals
{
    /// <summary>The start of the whole interval that holds <paramref name="from"/>, at or before it.</summary>
    public static DateTimeOffset FirstStart(DateTimeOffset from, TimeSpan interval, TimeZoneInfo timeZone)
    {
        var step = Step(interval);
        var wall = TimeZoneInfo.ConvertTime(from, timeZone).DateTime;
        // Wall-clock ticks count from a midnight, so a step that divides a day lands on local midnights.
        var start = wall.AddTicks(-(wall.Ticks % step));
        var aligned = new DateTimeOffset(start, timeZone.GetUtcOffset(start));
        // A start in a daylight-saving gap can come out after from; the interval before holds it.
        return aligned <= from ? aligned : aligned.AddTicks(-step);
    }

    private static long Step(TimeSpan interval)
    {
        if (interval.Ticks >= TimeSpan.TicksPerDay || TimeSpan.TicksPerDay % interval.Ticks == 0)
        {
            return Math.Min(interval.Ticks, TimeSpan.TicksPerDay);
        }

        foreach (var unit in (long[])[TimeSpan.TicksPerHour, TimeSpan.TicksPerMinute, TimeSpan.TicksPerSecond])
        {
            if (interval.Ticks % unit == 0)
            {
                return unit;
            }
        }

        return TimeSpan.TicksPerMillisecond;
    }
}
