namespace ElderIoT.Contracts.Reports;

/// <summary>One alarm as the service-level report sees it: where, what, and when it was taken and closed.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceLevelAlarm(
    [property: Id(0)] string District,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? Outcome,
    [property: Id(3)] DateTimeOffset RaisedAt,
    [property: Id(4)] DateTimeOffset? AcceptedAt,
    [property: Id(5)] DateTimeOffset? ResolvedAt);

/// <summary>A share of the alarms: how many met the target, out of how many, as a fraction (0..1; null when there were none).</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceLevelShare([property: Id(0)] int Count, [property: Id(1)] int Of, [property: Id(2)] double? Share);

/// <summary>Durations in seconds: the median and the 90th percentile, over the alarms that reached that point.</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceLevelDurations([property: Id(0)] int Count, [property: Id(1)] double? MedianSeconds, [property: Id(2)] double? P90Seconds);

/// <summary>The figures of one group of alarms (a district, or all of them).</summary>
[GenerateSerializer, Immutable]
public sealed record ServiceLevelFigures(
    [property: Id(0)] int Alarms,
    [property: Id(1)] int Unaccepted,
    [property: Id(2)] ServiceLevelShare AcceptedWithin60Seconds,
    [property: Id(3)] ServiceLevelShare AcceptedWithin180Seconds,
    [property: Id(4)] ServiceLevelDurations TimeToAccept,
    [property: Id(5)] ServiceLevelDurations TimeToResolve,
    [property: Id(6)] IReadOnlyDictionary<string, int> ByOutcome,
    [property: Id(7)] IReadOnlyDictionary<string, int> ByKind);

/// <summary>
/// The telecare service level: the share of alarms a seat accepted within 60 s and within 180 s (the
/// codes of practice ask for 60 s), and how long acceptance and resolution took. Every alarm raised in
/// the period counts in the shares, accepted or not: an alarm nobody took is a miss, not a gap.
/// The one computation behind both the report (<c>GET /api/reports/service-level</c>) and the seat
/// stream's live figures of the day (<see cref="ILiveServiceLevelGrain"/>).
/// </summary>
public static class ServiceLevel
{
    /// <summary>The target telecare codes of practice set for answering an alarm.</summary>
    public static readonly TimeSpan AnswerTarget = TimeSpan.FromSeconds(60);

    /// <summary>The centre's own overdue mark: the end of the default escalation ladder.</summary>
    public static readonly TimeSpan OverdueMark = TimeSpan.FromSeconds(180);

    /// <summary>The outcome key of alarms still open at the end of the period.</summary>
    public const string StillOpen = "open";

    /// <summary>The figures of these alarms.</summary>
    public static ServiceLevelFigures Figures(IReadOnlyCollection<ServiceLevelAlarm> alarms)
    {
        var toAccept = alarms.Where(a => a.AcceptedAt is not null).Select(a => (a.AcceptedAt!.Value - a.RaisedAt).TotalSeconds).ToList();
        var toResolve = alarms.Where(a => a.ResolvedAt is not null).Select(a => (a.ResolvedAt!.Value - a.RaisedAt).TotalSeconds).ToList();
        return new ServiceLevelFigures(
            alarms.Count,
            alarms.Count - toAccept.Count,
            Share(toAccept.Count(s => s <= AnswerTarget.TotalSeconds), alarms.Count),
            Share(toAccept.Count(s => s <= OverdueMark.TotalSeconds), alarms.Count),
            Durations(toAccept),
            Durations(toResolve),
            CountBy(alarms, a => a.Outcome ?? StillOpen),
            CountBy(alarms, a => a.Kind));
    }

    /// <summary>
    /// The value below which a fraction <paramref name="p"/> of the sorted values lie, interpolating
    /// linearly between the two nearest ranks (the common "inclusive" definition: the median of
    /// 1, 2, 3, 4 is 2.5). Null for no values.
    /// </summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (rank - lower));
    }

    private static ServiceLevelShare Share(int count, int of) => new(count, of, of == 0 ? null : (double)count / of);

    private static ServiceLevelDurations Durations(List<double> seconds)
    {
        seconds.Sort();
        return new ServiceLevelDurations(seconds.Count, Percentile(seconds, 0.5), Percentile(seconds, 0.9));
    }

    private static IReadOnlyDictionary<string, int> CountBy(IEnumerable<ServiceLevelAlarm> alarms, Func<ServiceLevelAlarm, string> key) =>
        alarms.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
}
