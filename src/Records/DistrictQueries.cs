using ElderIoT.Contracts.Elders;

namespace ElderIoT.Records;

/// <summary>District-prefix filters that run in the database, with the same whole-segment rule as <see cref="DistrictPath"/>.</summary>
public static class DistrictQueries
{
    public static IQueryable<AlarmRecord> WithinDistrict(this IQueryable<AlarmRecord> alarms, string prefix)
    {
        var path = DistrictPath.Normalize(prefix);
        var below = path + "/";
        return alarms.Where(a => a.District == path || a.District.StartsWith(below));
    }

    public static IQueryable<ElderRecord> WithinDistrict(this IQueryable<ElderRecord> elders, string prefix)
    {
        var path = DistrictPath.Normalize(prefix);
        var below = path + "/";
        return elders.Where(e => e.District == path || e.District.StartsWith(below));
    }

    /// <summary>
    /// The alarms a seat may list: within any of its district prefixes (whole segments), or held by it.
    /// Built as one OR in the database, so paging stays right.
    /// </summary>
    public static IQueryable<AlarmRecord> SeenBySeat(this IQueryable<AlarmRecord> alarms, string seatId, IReadOnlyList<string> prefixes)
    {
        var alarm = System.Linq.Expressions.Expression.Parameter(typeof(AlarmRecord), "a");
        System.Linq.Expressions.Expression<Func<AlarmRecord, bool>> held = a => a.AcceptedBy == seatId;
        var body = System.Linq.Expressions.Expression.Invoke(held, alarm) as System.Linq.Expressions.Expression;
        foreach (var prefix in prefixes)
        {
            var path = DistrictPath.Normalize(prefix);
            var below = path + "/";
            System.Linq.Expressions.Expression<Func<AlarmRecord, bool>> within = a => a.District == path || a.District.StartsWith(below);
            body = System.Linq.Expressions.Expression.OrElse(body, System.Linq.Expressions.Expression.Invoke(within, alarm));
        }

        return alarms.Where(System.Linq.Expressions.Expression.Lambda<Func<AlarmRecord, bool>>(body, alarm));
    }
}
