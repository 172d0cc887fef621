using ElderIoT.Contracts.Seats;
using ElderIoT.Contracts.Elders;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Grains.Seats;

/// <summary>
/// The on-duty roster, rebuilt from the seat records when it activates, kept current by the seat
/// grains. A centre has tens of seats, so one grain answers every lookup from memory.
/// </summary>
internal sealed class SeatDirectoryGrain(IDbContextFactory<ElderIoTDbContext> contexts) : Grain, ISeatDirectoryGrain
{
    private readonly SortedDictionary<string, IReadOnlyList<string>> _online = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        foreach (var seat in await db.Seats.AsNoTracking().Where(s => s.Online).ToListAsync(cancellationToken))
        {
            _online[seat.Id] = seat.Districts;
        }
    }

    public Task SetOnlineAsync(string seatId, IReadOnlyList<string> districts)
    {
        _online[seatId] = districts;
        return Task.CompletedTask;
    }

    public Task SetOfflineAsync(string seatId)
    {
        _online.Remove(seatId);
        return Task.CompletedTask;
    }

    public Task<SeatSelection> FindSeatsAsync(string district)
    {
        var matching = _online.Where(s => s.Value.Any(prefix => DistrictPath.Covers(prefix, district))).Select(s => s.Key).ToList();
        return Task.FromResult(matching.Count > 0
            ? new SeatSelection(matching, DistrictMatched: true)
            : new SeatSelection([.. _online.Keys], DistrictMatched: false));
    }

    public Task<IReadOnlyList<string>> GetOnlineSeatsAsync() => Task.FromResult<IReadOnlyList<string>>([.. _online.Keys]);
}
