namespace ElderIoT.Contracts.Seats;

/// <summary>
/// The roster of seats that are actually there (one grain, key 0): on duty, with a screen connected
/// or within the reconnect grace. It lives in memory only, so after a restart no seat is present
/// until its screen connects again; every screen's keep-alive renews it.
/// </summary>
public interface ISeatDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Records that an on-duty seat is present for these prefixes until <paramref name="presentUntil"/> (domain time).</summary>
    Task SetPresentAsync(string seatId, IReadOnlyList<string> districts, DateTimeOffset presentUntil);

    /// <summary>Records that a seat is not there (off duty, or it left and its grace ran out).</summary>
    Task SetAbsentAsync(string seatId);

    /// <summary>The present seats that see an alarm of this district at this reach (<see cref="SeatAudienceRule"/>).</summary>
    Task<SeatSelection> FindSeatsAsync(string district, SeatReach reach);

    /// <summary>Every present seat with its district prefixes.</summary>
    Task<IReadOnlyList<PresentSeat>> GetPresentSeatsAsync();
}
