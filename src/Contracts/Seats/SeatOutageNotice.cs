using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;

namespace ElderIoT.Contracts.Seats;

/// <summary>Whether a mass outage began or ended.</summary>
public enum OutageChange
{
    /// <summary>Many devices of the district went silent at once: one outage, not a device_silent alarm each.</summary>
    Declared,

    /// <summary>Enough of its devices came back; those still silent are raised alone.</summary>
    Cleared,
}

/// <summary>
/// What a seat's screen is told about a mass outage of its districts (the stream's <c>outage</c> event),
/// so that a seat that sees devices go silent knows why.
/// </summary>
/// <param name="Change">Declared or cleared.</param>
/// <param name="OutageId">The outage (as <c>GET /api/outages</c> lists it).</param>
/// <param name="District">The district prefix it covers (city/district).</param>
/// <param name="SilentDevices">Its devices silent now (at the clearing: those still silent, raised alone).</param>
/// <param name="Peak">Most of its devices silent at once.</param>
/// <param name="Since">When its first device went silent.</param>
/// <param name="EndedAt">When it was cleared; null while it lasts.</param>
[GenerateSerializer, Immutable]
public sealed record SeatOutageNotice(
    [property: Id(0)] OutageChange Change,
    [property: Id(1)] Guid OutageId,
    [property: Id(2)] string District,
    [property: Id(3)] int SilentDevices,
    [property: Id(4)] int Peak,
    [property: Id(5)] DateTimeOffset Since,
    [property: Id(6)] DateTimeOffset? EndedAt)
{
    /// <summary>The notice of an outage as it stands.</summary>
    public static SeatOutageNotice Of(OutageSnapshot outage) => new(
        outage.EndedAt is null ? OutageChange.Declared : OutageChange.Cleared,
        outage.Id, outage.Scope, outage.Silent, outage.Peak, outage.StartedAt, outage.EndedAt);

    /// <summary>
    /// Whether an outage of <paramref name="scope"/> concerns a seat serving these prefixes: the seat's area
    /// and the outage's overlap (南京市 sees an outage of 南京市/鼓楼区; 南京市/鼓楼区/宁海路街道 does too).
    /// </summary>
    public static bool Concerns(IEnumerable<string> seatDistricts, string scope) =>
        seatDistricts.Any(prefix => DistrictPath.Covers(prefix, scope) || DistrictPath.Covers(scope, prefix));
}
