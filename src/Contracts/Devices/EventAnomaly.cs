namespace ElderIoT.Contracts.Devices;

/// <summary>
/// Something wrong around an event that was taken anyway: an alarm is never refused for its clock,
/// position or id, so what was wrong travels with it to the alarm's timeline, the seat and the
/// records instead.
/// </summary>
public enum EventAnomalyKind
{
    /// <summary>No usable event id: one was derived from the payload's bytes, so a resend is still a duplicate.</summary>
    IdMissing,

    /// <summary>The device used the id before for a different event (its counter restarted); this is a new event.</summary>
    IdReused,

    /// <summary>The device's time is ahead of the centre's: raised at receipt time, the device time kept.</summary>
    ClockAhead,

    /// <summary>The device's time is far behind or its clock was never set (1970, 2000): raised at receipt time.</summary>
    ClockBehind,

    /// <summary>The device sent a time that is not one: raised at receipt time.</summary>
    ClockUnreadable,

    /// <summary>The position was out of range or incomplete and is left off the alarm.</summary>
    PositionRefused,

    /// <summary>The payload broke after its type could be read: what came before was used.</summary>
    PayloadMalformed,

    /// <summary>
    /// The event reached the centre well after the device's (plausible) time: buffered while the device
    /// was offline. Raised and escalated as any other; the seat knows it may be stale.
    /// </summary>
    ArrivedLate,
}

/// <summary>One thing wrong around an event, with the text a seat reads.</summary>
/// <param name="Kind">What kind of thing (counted by kind).</param>
/// <param name="Detail">For people, e.g. "position missing: lat: 91 is outside -90..90".</param>
[GenerateSerializer, Immutable]
public sealed record EventAnomaly(
    [property: Id(0)] EventAnomalyKind Kind,
    [property: Id(1)] string Detail);
