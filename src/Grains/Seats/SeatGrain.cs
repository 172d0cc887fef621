using ElderIoT.Contracts.Seats;
using ElderIoT.Contracts.Elders;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Seats;

/// <summary>
/// One call seat. Screens subscribe as observers and renew every so often; a screen that stopped
/// renewing (its node died) is dropped after <see cref="ObserverLease"/>.
/// </summary>
internal sealed partial class SeatGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<SeatGrain> logger) : Grain, ISeatGrain
{
    public static readonly TimeSpan ObserverLease = TimeSpan.FromMinutes(2);

    private readonly Dictionary<ISeatObserver, DateTimeOffset> _observers = [];
    private SeatRecord? _seat;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The key as a local: inside the lambda, `this` (the grain) becomes a constant of the query and EF compiles it anew for every grain (profiled: most of a cold activation's time).
        var id = this.GetPrimaryKeyString();
        _seat = await db.Seats.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
    }

    public async Task GoOnlineAsync(IReadOnlyList<string> districts)
    {
        var normalized = districts.Select(DistrictPath.Normalize).Where(d => d.Length > 0).Distinct().ToList();
        if (normalized.Count == 0)
        {
            throw new ArgumentException("A seat serves at least one district prefix.", nameof(districts));
        }

        await SaveAsync(online: true, normalized);
        await GrainFactory.GetGrain<ISeatDirectoryGrain>(0).SetOnlineAsync(_seat!.Id, normalized);
    }

    public async Task GoOfflineAsync()
    {
        await SaveAsync(online: false, _seat?.Districts ?? []);
        await GrainFactory.GetGrain<ISeatDirectoryGrain>(0).SetOfflineAsync(_seat!.Id);
    }

    public Task NotifyAsync(SeatAlarmNotice notice)
    {
        var now = clock.GetUtcNow();
        foreach (var (observer, renewedAt) in _observers.ToList())
        {
            if (now - renewedAt > ObserverLease)
            {
                _observers.Remove(observer);
                continue;
            }

            observer.OnAlarmNoticeAsync(notice).Ignore();
        }

        LogNotified(this.GetPrimaryKeyString(), notice.Alarm.Id, notice.Change, _observers.Count);
        return Task.CompletedTask;
    }

    public Task SubscribeAsync(ISeatObserver observer)
    {
        _observers[observer] = clock.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ISeatObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    public Task<SeatStatus> GetStatusAsync() =>
        Task.FromResult(new SeatStatus(this.GetPrimaryKeyString(), _seat?.Online ?? false, _seat?.Districts ?? []));

    private async Task SaveAsync(bool online, List<string> districts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var isNew = _seat is null;
        var seat = _seat ?? new SeatRecord { Id = this.GetPrimaryKeyString() };
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
    private partial void LogNotified(string seatId, Guid alarmId, string change, int screens);
}
