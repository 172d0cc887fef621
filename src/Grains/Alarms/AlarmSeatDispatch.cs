using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Seats;
using ElderIoT.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// Seat dispatch: whom an alarm is offered to (the directory applies <see cref="SeatAudienceRule"/>,
/// the one rule the stream's replay and the API's queue use too) and the notices their screens get.
/// </summary>
internal sealed partial class AlarmSeatDispatch(
    IGrainFactory grains,
    AlarmEscalationPolicy policy,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<AlarmSeatDispatch> logger)
{
    private ISeatDirectoryGrain Directory => grains.GetGrain<ISeatDirectoryGrain>(0);

    /// <summary>
    /// Offers the alarm to the seats that are there and puts the offer on its timeline (null: the step
    /// offers nothing; empty: nobody is there).
    /// </summary>
    public async Task<IReadOnlyList<string>?> OfferAsync(AlarmLifecycle alarm, SeatAudience audience, DateTimeOffset now)
    {
        if (audience == SeatAudience.None)
        {
            return null;
        }

        var reach = audience == SeatAudience.All ? SeatReach.All : SeatReach.District;
        var selection = await Directory.FindSeatsAsync(alarm.Record.District, reach);
        var seats = selection.SeatIds;
        if (seats.Count == 0)
        {
            alarm.AddTimeline(now, AlarmChange.NoSeatPresent, AlarmLifecycle.System, "no seat is on duty with a screen connected to offer the alarm to");
            LogNoSeatPresent(alarm.Record.Id);
            return seats;
        }

        var (scope, scopeKey) = reach == SeatReach.All ? ("all present seats", "all")
            : selection.DistrictMatched ? ("district seats", "district") : ("no district seat present, all present seats", "all_no_district_seat");
        alarm.AddTimeline(now, AlarmChange.Offered, AlarmLifecycle.System, $"{scope}: {string.Join(", ", seats)}", [scopeKey, .. seats]);
        return seats;
    }

    /// <summary>Every present seat (supervisors among them): told when an alarm becomes overdue.</summary>
    public async Task<IReadOnlyList<string>> EverySeatAsync(string district) =>
        (await Directory.FindSeatsAsync(district, SeatReach.All)).SeatIds;

    /// <summary>Tells the seats that see the alarm at its reach (and <paramref name="alsoSeat"/>) about a change.</summary>
    public async Task NotifyAsync(AlarmLifecycle alarm, string elderName, AlarmChange change, string? alsoSeat = null, string? detail = null)
    {
        var seats = (await Directory.FindSeatsAsync(alarm.Record.District, policy.ReachOf(alarm.Record))).SeatIds;
        await TellAsync(alsoSeat is null ? seats : [.. seats.Append(alsoSeat).Distinct()], alarm.ToSnapshot(), elderName, change, detail);
    }

    /// <summary>Tells these seats; a seat's screen failing never undoes or blocks the alarm (it is already stored).</summary>
    public async Task TellAsync(IEnumerable<string> seats, AlarmSnapshot alarm, string elderName, AlarmChange change, string? detail = null)
    {
        var notice = new SeatAlarmNotice(change, alarm, elderName, clock.GetUtcNow(), detail);
        foreach (var seat in seats)
        {
            try
            {
                await grains.GetGrain<ISeatGrain>(seat).NotifyAsync(notice);
            }
            catch (Exception exception)
            {
                LogSeatNotifyFailed(exception, alarm.Id, seat);
            }
        }
    }

    [LoggerMessage(1005, LogLevel.Error, "Alarm {AlarmId}: no seat is present to offer it to; its whole ladder is taken at once")]
    private partial void LogNoSeatPresent(Guid alarmId);

    [LoggerMessage(1006, LogLevel.Warning, "Alarm {AlarmId}: telling seat {SeatId} failed")]
    private partial void LogSeatNotifyFailed(Exception exception, Guid alarmId, string seatId);
}
