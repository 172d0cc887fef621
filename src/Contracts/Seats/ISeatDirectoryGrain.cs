namespace ElderIoT.Contracts.Seats;

/// <summary>
/// The on-duty roster of the whole centre (one grain, key 0): which seats are online for which
/// district prefixes, and so who is offered an alarm from a given district.
/// </summary>
public interface ISeatDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Records that a seat is online for these prefixes.</summary>
    Task SetOnlineAsync(string seatId, IReadOnlyList<string> districts);

    /// <summary>Records that a seat went offline.</summary>
    Task SetOfflineAsync(string seatId);

    /// <summary>
    /// The online seats whose prefix covers the district; when none does, every online seat
    /// (and <see cref="SeatSelection.DistrictMatched"/> is false).
    /// </summary>
    Task<SeatSelection> FindSeatsAsync(string district);

    /// <summary>Every online seat.</summary>
    Task<IReadOnlyList<string>> GetOnlineSeatsAsync();
}

/// <summary>Seats chosen for an offer.</summary>
[GenerateSerializer, Immutable]
public sealed record SeatSelection(
    [property: Id(0)] IReadOnlyList<string> SeatIds,
    [property: Id(1)] bool DistrictMatched);
