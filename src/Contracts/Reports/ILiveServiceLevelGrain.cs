namespace ElderIoT.Contracts.Reports;

/// <summary>
/// The centre's live service level of the day (one grain, key 0, for the whole cluster): the alarms
/// raised since local midnight, read from the records when it activates and kept up to date by the
/// alarm grains, which tell it every raise, acceptance and resolution. Seat streams on any node watch
/// it for their districts and are pushed new figures when an alarm of those districts changes.
/// </summary>
public interface ILiveServiceLevelGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// An alarm as it now stands (already stored). One-way: the alarm's path never waits for the
    /// figures, and a failure here is never the alarm's.
    /// </summary>
    [OneWay]
    Task AlarmChangedAsync(LiveAlarmChange change);

    /// <summary>
    /// Watches the figures of the alarms within these district prefixes, or renews the watch (a watcher
    /// not renewed for a couple of minutes is forgotten), and answers them as they stand now.
    /// </summary>
    Task<LiveServiceLevel> WatchAsync(IServiceLevelObserver observer, IReadOnlyList<string> districts);

    /// <summary>Stops watching.</summary>
    Task UnwatchAsync(IServiceLevelObserver observer);
}

/// <summary>A live view of the day's figures (a seat's stream).</summary>
public interface IServiceLevelObserver : IGrainObserver
{
    /// <summary>The figures changed (an alarm of the watched districts was raised, accepted or resolved; or the day turned).</summary>
    [OneWay]
    Task OnServiceLevelAsync(LiveServiceLevel figures);
}

/// <summary>One alarm's change, as the live figures need it.</summary>
/// <param name="AlarmId">Which alarm: a later change of it replaces the earlier.</param>
/// <param name="Alarm">The alarm as it now stands.</param>
[GenerateSerializer, Immutable]
public sealed record LiveAlarmChange(
    [property: Id(0)] Guid AlarmId,
    [property: Id(1)] ServiceLevelAlarm Alarm);

/// <summary>
/// The service level of the centre's day so far for some districts: the seat stream's <c>service_level</c>
/// event, as is (the console reads exactly this shape).
/// </summary>
/// <param name="Day">The centre's local date.</param>
/// <param name="TimeZone">The centre's IANA time zone, where the day begins at midnight.</param>
/// <param name="Districts">The district prefixes whose alarms count (the seat's).</param>
/// <param name="ComputedAt">When these figures were computed.</param>
/// <param name="Figures">The figures, as <c>GET /api/reports/service-level</c> gives them.</param>
[GenerateSerializer, Immutable]
public sealed record LiveServiceLevel(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] string TimeZone,
    [property: Id(2)] IReadOnlyList<string> Districts,
    [property: Id(3)] DateTimeOffset ComputedAt,
    [property: Id(4)] ServiceLevelFigures Figures);
