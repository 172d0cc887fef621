using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Reports;
using ElderIoT.Contracts.Seats;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Notifications;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace ElderIoT.Grains.Reports;

/// <summary>
/// The day's live service level for the whole cluster (key 0). It reads the day's alarms from the
/// records when it activates (so a restart, or this node's death, loses nothing: the next activation
/// reads them again) and when the day turns, and is kept up to date by the alarm grains in between:
/// no database query per stream or per change. Changes are gathered for a moment and pushed once to
/// the streams whose districts they concern, each with the figures of its own districts.
/// </summary>
internal sealed partial class LiveServiceLevelGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    IOptions<NotificationOptions> centre,
    IOptions<SeatDutyOptions> seatDuty,
    ServiceLevelMetrics metrics,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<LiveServiceLevelGrain> logger) : Grain, ILiveServiceLevelGrain
{
    /// <summary>A burst of changes (a mass event, an escalation round) becomes one push per stream.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(250);

    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(centre.Value.TimeZone);
    private readonly Dictionary<Guid, ServiceLevelAlarm> _alarms = [];
    private readonly Dictionary<IServiceLevelObserver, IReadOnlyList<string>> _districts = [];
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    // A stream renews its watch at every keep-alive; one that stopped (its node died) lapses after this.
    private readonly ObserverManager<IServiceLevelObserver, IServiceLevelObserver> _watchers =
        new(4 * (seatDuty.Value.KeepAliveInterval + seatDuty.Value.ReconnectGrace), logger);

    private DateOnly _day;
    private IGrainTimer? _flush;

    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        LoadDayAsync(CentreDay.Of(clock.GetUtcNow(), _zone), cancellationToken);

    public async Task AlarmChangedAsync(LiveAlarmChange change)
    {
        await EnsureTodayAsync();
        var alarm = change.Alarm;
        // An alarm of yesterday taken today belongs to yesterday's figures, not to today's.
        if (CentreDay.Of(alarm.RaisedAt, _zone) != _day)
        {
            return;
        }

        // Changes of one alarm may overtake each other; an alarm only moves on (open, accepted, resolved).
        if (_alarms.TryGetValue(change.AlarmId, out var known) && Progress(known) > Progress(alarm))
        {
            return;
        }

        _alarms[change.AlarmId] = alarm;
        _changed.Add(alarm.District);
        _flush ??= this.RegisterGrainTimer(_ => FlushAsync(), new GrainTimerCreationOptions(Coalesce, Timeout.InfiniteTimeSpan));
    }

    public async Task<LiveServiceLevel> WatchAsync(IServiceLevelObserver observer, IReadOnlyList<string> districts)
    {
        await EnsureTodayAsync();
        _watchers.ClearExpired();
        foreach (var gone in _districts.Keys.Where(o => !_watchers.Observers.ContainsKey(o)).ToList())
        {
            _districts.Remove(gone);
        }

        _watchers.Subscribe(observer, observer);
        _districts[observer] = [.. districts.Select(DistrictPath.Normalize)];
        return FiguresFor(_districts[observer]);
    }

    public Task UnwatchAsync(IServiceLevelObserver observer)
    {
        _watchers.Unsubscribe(observer);
        _districts.Remove(observer);
        return Task.CompletedTask;
    }

    /// <summary>Pushes new figures to each stream whose districts the gathered changes concern.</summary>
    private Task FlushAsync()
    {
        _flush?.Dispose();
        _flush = null;
        var changed = _changed.ToList();
        _changed.Clear();
        Push(districts => changed.Any(d => districts.Any(prefix => DistrictPath.Covers(prefix, d))));
        return Task.CompletedTask;
    }

    private void Push(Func<IReadOnlyList<string>, bool> concerns)
    {
        // Seats of one group watch the same prefixes: their figures are computed once.
        var computed = new Dictionary<string, LiveServiceLevel>(StringComparer.Ordinal);
        var pushed = 0;
        _watchers.Notify(
            observer =>
            {
                var districts = _districts[observer];
                var key = string.Join('\n', districts);
                if (!computed.TryGetValue(key, out var figures))
                {
                    computed[key] = figures = FiguresFor(districts);
                }

                observer.OnServiceLevelAsync(figures).Ignore();
                pushed++;
            },
            observer => _districts.TryGetValue(observer, out var districts) && concerns(districts));
        if (pushed > 0)
        {
            metrics.Pushed(pushed);
            LogPushed(pushed, _day);
        }
    }

    private LiveServiceLevel FiguresFor(IReadOnlyList<string> districts)
    {
        var alarms = _alarms.Values.Where(a => districts.Any(prefix => DistrictPath.Covers(prefix, a.District))).ToList();
        return new LiveServiceLevel(_day, _zone.Id, districts, clock.GetUtcNow(), ServiceLevel.Figures(alarms));
    }

    /// <summary>After local midnight the day's figures start afresh: read the new day, and tell every stream.</summary>
    private async Task EnsureTodayAsync()
    {
        var today = CentreDay.Of(clock.GetUtcNow(), _zone);
        if (today == _day)
        {
            return;
        }

        await LoadDayAsync(today, CancellationToken.None);
        Push(_ => true);
    }

    private async Task LoadDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var alarms = await db.Alarms.AsNoTracking().RaisedOn(day, _zone).ToLiveAlarms().ToListAsync(cancellationToken);
        _alarms.Clear();
        _changed.Clear();
        foreach (var alarm in alarms)
        {
            _alarms[alarm.AlarmId] = alarm.Alarm;
        }

        _day = day;
        metrics.DayLoaded();
        LogDayLoaded(day, alarms.Count);
    }

    private static int Progress(ServiceLevelAlarm alarm) => alarm.ResolvedAt is not null ? 2 : alarm.AcceptedAt is not null ? 1 : 0;

    [LoggerMessage(4201, LogLevel.Information, "Live service level: {Count} alarm(s) of {Day} read from the records")]
    private partial void LogDayLoaded(DateOnly day, int count);

    [LoggerMessage(4202, LogLevel.Debug, "Live service level of {Day}: new figures pushed to {Streams} stream(s)")]
    private partial void LogPushed(int streams, DateOnly day);
}
