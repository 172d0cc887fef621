using ElderIoT.Contracts.Seats;
using ElderIoT.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Grains.Seats;

/// <summary>
/// The roster of seats that are there, in memory only: the seat grains tell it, on every screen
/// connect, renewal and disconnect, until when each seat counts as present. It is never rebuilt from
/// the records, because a seat that was on duty before a restart is not watching until its screen
/// connects again. A centre has tens of seats, so one grain answers every lookup.
/// </summary>
internal sealed class SeatDirectoryGrain([FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock) : Grain, ISeatDirectoryGrain
{
    private readonly Dictionary<string, (IReadOnlyList<string> Districts, DateTimeOffset Until)> _seats = new(StringComparer.Ordinal);

    public Task SetPresentAsync(string seatId, IReadOnlyList<string> districts, DateTimeOffset presentUntil)
    {
        _seats[seatId] = (districts, presentUntil);
        return Task.CompletedTask;
    }

    public Task SetAbsentAsync(string seatId)
    {
        _seats.Remove(seatId);
        return Task.CompletedTask;
    }

    public Task<SeatSelection> FindSeatsAsync(string district, SeatReach reach) =>
        Task.FromResult(SeatAudienceRule.Select(Present(), district, reach));

    public Task<IReadOnlyList<PresentSeat>> GetPresentSeatsAsync() => Task.FromResult<IReadOnlyList<PresentSeat>>(Present());

    /// <summary>Evaluated on the domain clock at each lookup: a seat whose grace ran out is not there, whether or not anyone told us.</summary>
    private List<PresentSeat> Present()
    {
        var now = clock.GetUtcNow();
        foreach (var lapsed in _seats.Where(s => s.Value.Until <= now).Select(s => s.Key).ToList())
        {
            _seats.Remove(lapsed);
        }

        return [.. _seats.Select(s => new PresentSeat(s.Key, s.Value.Districts))];
    }
}
