using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Alarms;

/// <summary>
/// An alarm the centre's own rules raise (vitals, inactivity, a silent device, a low battery, a watch
/// not worn, a door at night, a zone crossing), handed to <see cref="Elders.IElderGrain.RaiseCentreAlarmAsync"/>.
/// It takes the same path as a device's SOS: it joins the elder's open incident or raises one.
/// </summary>
/// <param name="Kind">What the rule saw.</param>
/// <param name="DeviceId">The device whose readings or silence the rule judged ("centre" when none).</param>
/// <param name="ObservedAt">When the rule saw it (the centre's clock).</param>
[GenerateSerializer, Immutable]
public sealed record CentreAlarm(
    [property: Id(0)] AlarmKind Kind,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] DateTimeOffset ObservedAt)
{
    /// <summary>Overrides the kind's default severity (<see cref="AlarmSeverities.DefaultSeverity"/>); null keeps it.</summary>
    [Id(3)]
    public AlarmSeverity? Severity { get; init; }

    /// <summary>What triggered it: the readings, the threshold, for the seat. Null when there is nothing to show.</summary>
    [Id(4)]
    public CentreAlarmDetail? Detail { get; init; }

    /// <summary>Where, when known (the last fix of the device).</summary>
    [Id(5)]
    public GeoPosition? Position { get; init; }

    /// <summary>
    /// The centre-made event written into the elder's history with the alarm: <see cref="DeviceEventType.CentreAlarm"/>
    /// for rules, <see cref="DeviceEventType.GeofenceExit"/>/<see cref="DeviceEventType.GeofenceEnter"/> for zone crossings.
    /// </summary>
    [Id(6)]
    public DeviceEventType EventType { get; init; } = DeviceEventType.CentreAlarm;

    /// <summary>
    /// The rule's own id for this observation; a repeated call with the same id and time is recorded once
    /// (the device-event index). Null: one is made from the kind and <see cref="ObservedAt"/>.
    /// </summary>
    [Id(7)]
    public string? EventId { get; init; }

    /// <summary>The severity the alarm takes: the override, else the kind's default.</summary>
    public AlarmSeverity EffectiveSeverity => Severity ?? Kind.DefaultSeverity();
}

/// <summary>What a rule saw, as values the seat's screen and the timeline show.</summary>
/// <param name="Readings">The readings that triggered the alarm, oldest first (may be empty).</param>
[GenerateSerializer, Immutable]
public sealed record CentreAlarmDetail(
    [property: Id(0)] IReadOnlyList<AlarmReading> Readings)
{
    /// <summary>The limit that was crossed, in the readings' unit (e.g. 120 for a heart rate over 120/min).</summary>
    [Id(1)]
    public double? Threshold { get; init; }

    /// <summary>How long the condition lasted when the rule raised it (silent for 10 min, not worn for 2 h).</summary>
    [Id(2)]
    public TimeSpan? Lasted { get; init; }

    /// <summary>How long the condition may last before it is an alarm (a watch reporting every 10 min, not worn for 30 min, 4 h without steps).</summary>
    [Id(3)]
    public TimeSpan? Limit { get; init; }

    /// <summary>Which condition of the rule, when it has several (<c>heart_rate_low</c>, <c>spo2_low</c>...): says which side of <see cref="Threshold"/> is wrong. Empty when the kind says it all.</summary>
    [Id(4)]
    public string Condition { get; init; } = "";
}

/// <summary>
/// What a centre rule saw behind one cause of an alarm, kept with the alarm (the seat's card, the
/// stream, after a restart): the readings that fired it and the limit they crossed.
/// </summary>
/// <param name="Kind">The cause's kind (vitals, low_battery...).</param>
/// <param name="DeviceId">The device whose readings or silence the rule judged.</param>
/// <param name="ObservedAt">When the rule confirmed it.</param>
/// <param name="Detail">The readings, the threshold, how long.</param>
[GenerateSerializer, Immutable]
public sealed record AlarmFinding(
    [property: Id(0)] AlarmKind Kind,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] DateTimeOffset ObservedAt,
    [property: Id(3)] CentreAlarmDetail Detail);

/// <summary>One reading behind a centre alarm.</summary>
[GenerateSerializer, Immutable]
public sealed record AlarmReading(
    [property: Id(0)] AlarmReadingKind Kind,
    [property: Id(1)] double Value,
    [property: Id(2)] DateTimeOffset At);

/// <summary>What a reading behind a centre alarm measures.</summary>
public enum AlarmReadingKind
{
    /// <summary>Beats per minute.</summary>
    HeartRate,

    /// <summary>Blood oxygen saturation, percent.</summary>
    SpO2,

    /// <summary>Systolic blood pressure, mmHg.</summary>
    SystolicPressure,

    /// <summary>Diastolic blood pressure, mmHg.</summary>
    DiastolicPressure,

    /// <summary>Battery, percent.</summary>
    Battery,

    /// <summary>Steps counted.</summary>
    Steps,
}

/// <summary>Why a rule says its alarm's cause has gone.</summary>
public enum AlarmRecovery
{
    /// <summary>The condition ended (generic).</summary>
    Recovered,

    /// <summary>A silent device reports again.</summary>
    DeviceReporting,

    /// <summary>The readings are back within range.</summary>
    VitalsNormal,

    /// <summary>The battery was charged.</summary>
    BatteryCharged,

    /// <summary>The watch is worn again.</summary>
    Worn,

    /// <summary>The elder moves again.</summary>
    Active,
}

/// <summary>What a rule's clear did.</summary>
public enum AlarmClearResult
{
    /// <summary>No open alarm of the elder holds that kind from that device: nothing to clear.</summary>
    NoOpenAlarm,

    /// <summary>Nobody had taken it and nothing else is in the incident: resolved as <see cref="AlarmOutcome.SelfCleared"/>.</summary>
    SelfCleared,

    /// <summary>A seat holds it, or the incident holds more than this cause: the recovery is on its timeline, it stays open.</summary>
    RecoveryRecorded,
}

/// <summary>What an elder's cancel (<c>sos_cancel</c>) did to the open incident.</summary>
public enum CancelScope
{
    /// <summary>No open alarm: recorded as a device event only.</summary>
    NoOpenAlarm,

    /// <summary>It covers every cause of the incident: flagged cancel-requested (a seat still confirms).</summary>
    Whole,

    /// <summary>It covers some causes (the device's own, the elder's SOS), not others (a smoke sensor): recorded, not flagged.</summary>
    Partial,

    /// <summary>It covers none of the causes (a watch cancelling a smoke alarm): recorded as ignored for scope.</summary>
    Ignored,
}
