using ElderIoT.Contracts.Elders;

namespace ElderIoT.Contracts.Seats;

/// <summary>How far an alarm has been offered: to its district's seats, or to every seat.</summary>
public enum SeatReach
{
    /// <summary>The seats whose prefix covers the alarm's district (every present seat when none is present).</summary>
    District,

    /// <summary>Every present seat.</summary>
    All,
}

/// <summary>Seats chosen for an alarm.</summary>
/// <param name="SeatIds">The seats, in id order.</param>
/// <param name="DistrictMatched">False when no present seat serves the district and every present seat was taken instead.</param>
[GenerateSerializer, Immutable]
public sealed record SeatSelection(
    [property: Id(0)] IReadOnlyList<string> SeatIds,
    [property: Id(1)] bool DistrictMatched);

/// <summary>A seat that is there, with the district prefixes it serves.</summary>
[GenerateSerializer, Immutable]
public sealed record PresentSeat(
    [property: Id(0)] string Id,
    [property: Id(1)] IReadOnlyList<string> Districts);

/// <summary>
/// Who sees an alarm: the one rule behind both the offer when a step is taken and the replay a
/// screen gets when it (re)connects, so a seat that was offered an alarm finds it again.
/// </summary>
public static class SeatAudienceRule
{
    /// <summary>
    /// At <see cref="SeatReach.All"/> every present seat; otherwise the present seats whose prefix covers
    /// the district, or every present seat when none does (an alarm is better seen by the wrong
    /// district than by nobody).
    /// </summary>
    public static SeatSelection Select(IEnumerable<PresentSeat> presentSeats, string district, SeatReach reach)
    {
        var present = presentSeats.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        if (reach == SeatReach.All)
        {
            return new SeatSelection([.. present.Select(s => s.Id)], DistrictMatched: false);
        }

        var matching = present.Where(s => s.Districts.Any(prefix => DistrictPath.Covers(prefix, district))).Select(s => s.Id).ToList();
        return matching.Count > 0
            ? new SeatSelection(matching, DistrictMatched: true)
            : new SeatSelection([.. present.Select(s => s.Id)], DistrictMatched: false);
    }
}
