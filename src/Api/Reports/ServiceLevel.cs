namespace ElderIoT.Api.Reports;

/// <summary>One alarm as the service-level report sees it: where, what, and when it was taken and closed.</summary>
public sealed record ServiceLevelAlarm(
    string District,
    string Kind,
    string? Outcome,
    DateTimeOffset RaisedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? ResolvedAt);

/// <summary>A share of the alarms: how many met the target, out of how many, as a fraction (0..1; null when there were none).</summary>
public sealed record ServiceLevelShare(int Count, int Of, double? Share);

/// <summary>Durations in seconds: the median and the 90th percentile, over the alarms that reached that point.</summary>
public sealed record ServiceLevelDurations(int Count, double? MedianSeconds, double? P90Seconds);

/// <summary>The figures of one group of alarms (a district, or all of them).</summary>
public sealed record ServiceLevelFigures(
    int Alarms,
    int Unaccepted,
    ServiceLevelShare AcceptedWithin60Seconds,
    ServiceLevelShare AcceptedWithin180Seconds,
    ServiceLevelDurations TimeToAccept,
    ServiceLevelDurations TimeToResolve,
    IReadOnlyDictionary<string, int> ByOutcome,
    IReadOnlyDictionary<string, int> ByKind);

/// <summary>
/// The telecare service level: the share of alarms a seat accepted within 60 s and within 180 s (the
/// codes of practice ask for 60 s), and how long acceptance and resolution took. Every alarm raised in
/// the period counts in the shares, accepted or not: an alarm nobody took is a miss, not a gap.
/// </summary>
public static class ServiceLevel
{
    /// <summary>The target telecare codes of practice set for answering an alarm.</summary>
    public static readonly TimeSpan AnswerTarget = TimeSpan.FromSeconds(60);

    /// <summary>The centre's own overdue mark: the end of the default escalation ladder.</summary>
    public static readonly TimeSpan OverdueMark = TimeSpan.FromSeconds(180);

    /// <summary>The outcome key of alarms still open at the end of the period.</summary>
    public const string StillOpen = "open";

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
