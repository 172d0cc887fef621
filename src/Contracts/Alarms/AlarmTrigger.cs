using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Alarms;

/// <summary>
/// One cause of an incident, as the elder grain hands it to the alarm: from a device's event or from a
/// centre rule. <see cref="Event"/> is what goes into the elder's history with it (for a rule, a
/// centre-made event).
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Severity">How urgent (the kind's default unless a rule said otherwise).</param>
/// <param name="Event">The event as recorded.</param>
/// <param name="Source">Whether a device or a centre rule raised it.</param>
[GenerateSerializer, Immutable]
public sealed record AlarmTrigger(
    [property: Id(0)] AlarmKind Kind,
    [property: Id(1)] AlarmSeverity Severity,
    [property: Id(2)] DeviceEvent Event,
    [property: Id(3)] AlarmSource Source)
{
    /// <summary>A rule's readings, for the seat; null for a device's event.</summary>
    [Id(4)]
    public CentreAlarmDetail? Detail { get; init; }

    /// <summary>The device the cause came from.</summary>
    public string DeviceId => Event.DeviceId;
}

/// <summary>Who raised a cause of an incident.</summary>
public enum AlarmSource
{
    /// <summary>A device's own event (an SOS key, a smoke detector).</summary>
    Device,

    /// <summary>A centre rule (vitals, silence, a zone crossing): it may clear itself.</summary>
    Centre,
}

/// <summary>What became of an event handed to an open incident.</summary>
public enum JoinResult
{
    /// <summary>It joined the incident.</summary>
    Joined,

    /// <summary>It joined and made the incident more severe: the ladder started again at the new severity.</summary>
    Upgraded,

    /// <summary>The incident is resolved: a new one must be raised.</summary>
    Closed,

    /// <summary>The incident's last cause is older than the incident window: a new one must be raised.</summary>
    OutsideWindow,
}
