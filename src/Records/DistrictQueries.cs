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
}
