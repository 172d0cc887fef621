namespace ElderIoT.Contracts.Reports;

/// <summary>
/// The centre's day: from local midnight to the next in the centre's time zone (<c>Notifications:TimeZone</c>).
/// The report's default period and the seat stream's live figures both begin at the same midnight.
/// </summary>
public static class CentreDay
{
    /// <summary>The local date of an instant in the centre's zone.</summary>
    public static DateOnly Of(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The instant the day begins: its local midnight.</summary>
    public static DateTimeOffset Start(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }
}
