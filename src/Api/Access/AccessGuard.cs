using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Seats;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Access;

/// <summary>
/// The record-level rules of the seat role, in one place: which alarms a seat may see and take, and
/// which elders it may read (only while it handles one of their alarms). Admins and supervisors see
/// every district; other roles reach no alarm or elder through these endpoints.
/// </summary>
public sealed class AccessGuard(IGrainFactory grains, IDbContextFactory<ElderIoTDbContext> contexts)
{
    private static readonly string Resolved = AlarmStatus.Resolved.ToSnakeCase();
    private static readonly string Open = AlarmStatus.Open.ToSnakeCase();

    /// <summary>
    /// Whether a seat may see and act on an alarm: it holds it, or the alarm is unresolved and in its
    /// districts, or it was offered to this seat (the offer rule of <see cref="SeatAudienceRule"/>,
    /// which reaches every present seat after escalation).
    /// </summary>
    public async Task<bool> SeatMaySeeAsync(Caller caller, AlarmSnapshot alarm)
    {
        if (caller.SeatId is not { } seat)
        {
            return false;
        }

        if (alarm.AcceptedBy == seat)
        {
            return true;
        }

        if (alarm.Status == AlarmStatus.Resolved)
        {
            return false;
        }

        return Covers(caller, alarm.District) || await OfferedAsync(seat, alarm.Id);
    }

    /// <summary>
    /// The alarm through which a seat may read this elder now (it holds it, or it is open and the seat
    /// may take it), or null: the "why" of the audit row, and the seat's only way to an elder.
    /// </summary>
    public async Task<Guid?> HandledAlarmAsync(Caller caller, Guid elderId)
    {
        if (caller.SeatId is not { } seat)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync();
        var unresolved = await db.Alarms.AsNoTracking()
            .Where(a => a.ElderId == elderId && a.Status != Resolved)
            .Select(a => new { a.Id, a.District, a.Status, a.AcceptedBy })
            .ToListAsync();
        if (unresolved.FirstOrDefault(a => a.AcceptedBy == seat) is { } held)
        {
            return held.Id;
        }

        var open = unresolved.Where(a => a.Status == Open).ToList();
        if (open.FirstOrDefault(a => Covers(caller, a.District)) is { } inDistrict)
        {
            return inDistrict.Id;
        }

        foreach (var alarm in open)
        {
            if (await OfferedAsync(seat, alarm.Id))
            {
                return alarm.Id;
            }
        }

        return null;
    }

    /// <summary>Whether every requested district lies within the caller's own (a seat goes on duty only where it serves).</summary>
    public static bool MayServe(Caller caller, IEnumerable<string> districts) =>
        caller.SeesAllDistricts || districts.All(d => Covers(caller, d));

    private static bool Covers(Caller caller, string district) =>
        caller.Districts.Any(prefix => DistrictPath.Covers(prefix, district));

    private async Task<bool> OfferedAsync(string seat, Guid alarmId) =>
        (await grains.GetGrain<ISeatGrain>(seat).GetOpenAlarmsAsync()).Any(n => n.Alarm.Id == alarmId);
}
