using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Seats;
using ElderIoT.Grains.Alarms;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Seats;

/// <summary>
/// One call seat. Its duty (on or off, districts) is a record; whether it is there is not: that is
/// its screens, which subscribe as observers and renew at every keep-alive. The seat is present
/// while a screen renews, and for the reconnect grace after the last one left or stopped renewing;
/// it tells the directory each time, so offers go only to seats someone is watching.
/// A seat takes and closes alarms: its records are on the alarm lane (<see cref="AlarmRecords"/>).
/// </summary>
internal sealed partial class SeatGrain(
    AlarmRecords contexts,
    AlarmEscalationPolicy policy,
    SeatMetrics metrics,
    IOptions<SeatDutyOptions> options,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<SeatGrain> logger) : Grain, ISeatGrain
{
    /// <summary>The most open alarms a screen is shown when it connects.</summary>
    private const int MaxReplay = 500;

    private readonly Dictionary<ISeatObserver, DateTimeOffset> _screens = [];
    private DateTimeOffset? _lastScreenLeftAt;
    private SeatRecord? _seat;

    private string Id => this.GetPrimaryKeyString();

    /// <summary>A screen that has not renewed for a keep-alive interval and the grace is taken to be gone (its node or network died).</summary>
    private TimeSpan ScreenLease => options.Value.KeepAliveInterval + options.Value.ReconnectGrace;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The key as a local: inside the lambda, `this` (the grain) becomes a constant of the query and EF compiles it anew for every grain (profiled: most of a cold activation's time).
        var id = Id;
        _seat = await db.Seats.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
    }

    public async Task GoOnlineAsync(IReadOnlyList<string> districts)
    {
        if (districts.Count == 0)
        {
            throw new ArgumentException("A seat serves at least one district prefix.", nameof(districts));
        }

        await SaveAsync(online: true, [.. districts]);
        LogOnDuty(Id, string.Join(", ", districts), _screens.Count);
        await PublishPresenceAsync();
        // A screen already connected while the seat was off duty was shown nothing: show it what is open now.
        if (_screens.Count > 0)
        {
            foreach (var open in await GetOpenAlarmsAsync())
            {
                foreach (var screen in _screens.Keys)
                {
                    screen.OnAlarmNoticeAsync(open).Ignore();
                }
            }
        }
    }

    public async Task GoOfflineAsync()
    {
        await SaveAsync(online: false, _seat?.Districts ?? []);
        LogOffDuty(Id);
        await PublishPresenceAsync();
    }

    public Task NotifyAsync(SeatAlarmNotice notice)
    {
        DropLapsedScreens(clock.GetUtcNow());
        foreach (var screen in _screens.Keys)
        {
            screen.OnAlarmNoticeAsync(notice).Ignore();
        }

        LogNotified(Id, notice.Alarm.Id, notice.Change, _screens.Count);
        return Task.CompletedTask;
    }

    public Task NotifyOutageAsync(SeatOutageNotice notice)
    {
        DropLapsedScreens(clock.GetUtcNow());
        foreach (var screen in _screens.Keys)
        {
            screen.OnOutageAsync(notice).Ignore();
        }

        return Task.CompletedTask;
    }

    public async Task<bool> SubscribeAsync(ISeatObserver observer)
    {
        var unknown = !_screens.ContainsKey(observer);
        if (unknown)
        {
            metrics.ScreenConnected();
            LogScreenConnected(Id, _screens.Count + 1);
        }

        _screens[observer] = clock.GetUtcNow();
        await PublishPresenceAsync();
        return unknown;
    }

    public async Task UnsubscribeAsync(ISeatObserver observer)
    {
        if (_screens.Remove(observer))
        {
            _lastScreenLeftAt = clock.GetUtcNow();
            metrics.ScreenDisconnected("closed");
            LogScreenDisconnected(Id, _screens.Count);
        }

        await PublishPresenceAsync();
    }

    public async Task<IReadOnlyList<SeatAlarmNotice>> GetOpenAlarmsAsync()
    {
        if (_seat is not { Online: true } seat)
        {
            return [];
        }

        // The directory's roster, with this seat in it: it asks because a screen is connecting, and
        // must be judged as the offers judge a present seat.
        var roster = (await GrainFactory.GetGrain<ISeatDirectoryGrain>(0).GetPresentSeatsAsync())
            .Where(s => s.Id != Id).Append(new PresentSeat(Id, seat.Districts)).ToList();
        var resolved = AlarmStatus.Resolved.ToSnakeCase();
        await using var db = await contexts.CreateDbContextAsync();
        var open = await db.Alarms.AsNoTracking().Where(a => a.Status != resolved)
            .Join(db.Elders, a => a.ElderId, e => e.Id, (a, e) => new { Alarm = a, e.Name })
            // The seat's queue: critical first, then oldest (the same order as GET /api/alarms).
            .OrderByDescending(x => x.Alarm.Severity).ThenBy(x => x.Alarm.RaisedAt).Take(MaxReplay).ToListAsync();
        var now = clock.GetUtcNow();
        return [.. open
            .Where(x => SeatAudienceRule.Select(roster, x.Alarm.District, policy.ReachOf(x.Alarm)).SeatIds.Contains(Id))
            .Select(x => new SeatAlarmNotice(AlarmChange.Open, x.Alarm.ToSnapshot(), x.Name, now))];
    }

    public Task<SeatStatus> GetStatusAsync()
    {
        var now = clock.GetUtcNow();
        DropLapsedScreens(now);
        var presence = _seat is not { Online: true } ? SeatPresence.OffDuty
            : _screens.Count > 0 ? SeatPresence.Watching
            : _lastScreenLeftAt + options.Value.ReconnectGrace > now ? SeatPresence.Reconnecting
            : SeatPresence.Away;
        return Task.FromResult(new SeatStatus(Id, _seat?.Online ?? false, _seat?.Districts ?? [], presence, _screens.Count));
    }

    /// <summary>Tells the directory until when this seat is there, or that it is not.</summary>
    private async Task PublishPresenceAsync()
    {
        var now = clock.GetUtcNow();
        DropLapsedScreens(now);
        DateTimeOffset? until = _screens.Count > 0
            ? _screens.Values.Max() + ScreenLease
            : _lastScreenLeftAt + options.Value.ReconnectGrace;
        var directory = GrainFactory.GetGrain<ISeatDirectoryGrain>(0);
        if (_seat is { Online: true } seat && until > now)
        {
            await directory.SetPresentAsync(Id, seat.Districts, until.Value);
        }
        else
        {
            await directory.SetAbsentAsync(Id);
        }
    }

    private void DropLapsedScreens(DateTimeOffset now)
    {
        foreach (var (screen, renewedAt) in _screens.ToList())
        {
            if (now - renewedAt >= ScreenLease)
            {
                _screens.Remove(screen);
                // It was last known alive one keep-alive after its renewal; the grace counts from there.
                var leftAt = renewedAt + options.Value.KeepAliveInterval;
                _lastScreenLeftAt = _lastScreenLeftAt > leftAt ? _lastScreenLeftAt : leftAt;
                metrics.ScreenDisconnected("lapsed");
                LogScreenLapsed(Id, renewedAt);
            }
        }
    }

    private async Task SaveAsync(bool online, List<string> districts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var isNew = _seat is null;
        var seat = _seat ?? new SeatRecord { Id = Id };
        seat.Online = online;
        seat.Districts = districts;
        seat.UpdatedAt = clock.GetUtcNow();
        if (isNew)
        {
            db.Seats.Add(seat);
        }
        else
        {
            db.Seats.Update(seat);
        }

        await db.SaveChangesAsync();
        _seat = seat;
    }

    [LoggerMessage(4001, LogLevel.Debug, "Seat {SeatId}: alarm {AlarmId} {Change} sent to {Screens} screen(s)")]
    private partial void LogNotified(string seatId, Guid alarmId, AlarmChange change, int screens);

    [LoggerMessage(4002, LogLevel.Information, "Seat {SeatId} on duty for {Districts} ({Screens} screen(s) connected)")]
    private partial void LogOnDuty(string seatId, string districts, int screens);

    [LoggerMessage(4003, LogLevel.Information, "Seat {SeatId} off duty")]
    private partial void LogOffDuty(string seatId);

    [LoggerMessage(4004, LogLevel.Information, "Seat {SeatId}: screen connected ({Screens} now)")]
    private partial void LogScreenConnected(string seatId, int screens);

    [LoggerMessage(4005, LogLevel.Information, "Seat {SeatId}: screen disconnected ({Screens} left); present for the reconnect grace")]
    private partial void LogScreenDisconnected(string seatId, int screens);

    [LoggerMessage(4006, LogLevel.Warning, "Seat {SeatId}: a screen stopped renewing (last at {RenewedAt:O}); it is taken to be gone")]
    private partial void LogScreenLapsed(string seatId, DateTimeOffset renewedAt);
}
