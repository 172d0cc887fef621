using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Seats;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Seats;

/// <summary>
/// Tells the seats that are there about a mass outage declared or cleared in their districts
/// (<see cref="SeatOutageNotice.Concerns"/>): a seat that sees its devices go silent knows why. Detection
/// stays in <c>OutageGrain</c>; a seat that cannot be told never holds the detector up.
/// </summary>
internal sealed partial class OutageSeatNotices(IGrainFactory grains, ILogger<OutageSeatNotices> logger)
{
    public async Task TellAsync(OutageSnapshot outage)
    {
        var notice = SeatOutageNotice.Of(outage);
        IReadOnlyList<PresentSeat> present;
        try
        {
            present = await grains.GetGrain<ISeatDirectoryGrain>(0).GetPresentSeatsAsync();
        }
        catch (Exception exception)
        {
            LogFailed(exception, outage.Id, "(directory)");
            return;
        }

        foreach (var seat in present.Where(s => SeatOutageNotice.Concerns(s.Districts, outage.Scope)))
        {
            try
            {
                await grains.GetGrain<ISeatGrain>(seat.Id).NotifyOutageAsync(notice);
            }
            catch (Exception exception)
            {
                LogFailed(exception, outage.Id, seat.Id);
            }
        }
    }

    [LoggerMessage(4301, LogLevel.Warning, "Outage {OutageId}: telling seat {SeatId} failed")]
    private partial void LogFailed(Exception exception, Guid outageId, string seatId);
}
