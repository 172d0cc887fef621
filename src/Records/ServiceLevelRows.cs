using System.Linq.Expressions;
using ElderIoT.Contracts.Reports;

namespace ElderIoT.Records;

/// <summary>An alarm record as the service level counts it: the one projection the report's query and the live figures share.</summary>
public static class ServiceLevelRows
{
    /// <summary>For a query: runs in the database.</summary>
    public static readonly Expression<Func<AlarmRecord, ServiceLevelAlarm>> Projection =
        a => new ServiceLevelAlarm(a.District, a.Kind, a.Outcome, a.RaisedAt, a.AcceptedAt, a.ResolvedAt);

    private static readonly Func<AlarmRecord, ServiceLevelAlarm> Compiled = Projection.Compile();

    /// <summary>For an alarm in memory (an alarm grain telling the live figures).</summary>
    public static ServiceLevelAlarm Of(AlarmRecord alarm) => Compiled(alarm);

    /// <summary>Each alarm with its id, only the columns the figures need (a city's day of alarms is read at once).</summary>
    public static IQueryable<LiveAlarmChange> ToLiveAlarms(this IQueryable<AlarmRecord> alarms) =>
        alarms.Select(a => new LiveAlarmChange(a.Id, new ServiceLevelAlarm(a.District, a.Kind, a.Outcome, a.RaisedAt, a.AcceptedAt, a.ResolvedAt)));

    /// <summary>The alarms raised within the centre's day <paramref name="day"/>.</summary>
    public static IQueryable<AlarmRecord> RaisedOn(this IQueryable<AlarmRecord> alarms, DateOnly day, TimeZoneInfo zone)
    {
        var start = CentreDay.Start(day, zone);
        var end = CentreDay.Start(day.AddDays(1), zone);
        return alarms.Where(a => a.RaisedAt >= start && a.RaisedAt < end);
    }
}
