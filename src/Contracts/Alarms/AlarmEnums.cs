namespace ElderIoT.Contracts.Alarms;

/// <summary>What raised an alarm.</summary>
public enum AlarmKind
{
    /// <summary>SOS key pressed.</summary>
    Sos,

    /// <summary>Fall detected.</summary>
    Fall,

    /// <summary>Smoke detector.</summary>
    Smoke,

    /// <summary>Gas detector.</summary>
    Gas,

    /// <summary>Water leak.</summary>
    Water,

    /// <summary>Left a safe zone (raised by the centre's geofence rule, not by a device).</summary>
    Wandering,

    /// <summary>Entered a danger zone (raised by the centre's geofence rule, not by a device).</summary>
    DangerZone,

    /// <summary>Heart rate, SpO2 or blood pressure out of the elder's range for long enough (centre rule).</summary>
    Vitals,

    /// <summary>No steps or motion for too long within the elder's active hours (centre rule).</summary>
    Inactivity,

    /// <summary>A device stopped reporting past its expected interval (centre rule).</summary>
    DeviceSilent,

    /// <summary>A device's battery is low (from its telemetry or its own event).</summary>
    LowBattery,

    /// <summary>A watch has not been worn for longer than allowed (centre rule).</summary>
    NotWorn,

    /// <summary>A door opened during the elder's night hours.</summary>
    Door,
}

/// <summary>
/// How urgent an alarm is. Ordered: a larger value is more urgent, so queues sort by it descending.
/// </summary>
public enum AlarmSeverity
{
    /// <summary>Maintenance matters (a silent device, a low battery): a maintenance list, never the family at night.</summary>
    Low = 0,

    /// <summary>Worth a seat's look soon (a door at night).</summary>
    Medium = 1,

    /// <summary>A likely emergency (vitals out of range, water, leaving a safe zone).</summary>
    High = 2,

    /// <summary>Life at risk now (SOS, fall, smoke, gas): seats and family at once.</summary>
    Critical = 3,
}

/// <summary>Where an alarm stands in its lifecycle.</summary>
public enum AlarmStatus
{
    /// <summary>Raised and offered to seats; nobody holds it yet.</summary>
    Open,

    /// <summary>A seat has taken it and is handling it.</summary>
    Accepted,

    /// <summary>Handled, with an outcome.</summary>
    Resolved,
}

/// <summary>How a seat closed an alarm.</summary>
public enum AlarmOutcome
{
    /// <summary>A real emergency; help was sent or given.</summary>
    RealEmergency,

    /// <summary>Pressed by mistake or a false detection.</summary>
    FalseAlarm,

    /// <summary>The elder cancelled it and the seat confirmed.</summary>
    CancelledByElder,

    /// <summary>Nobody could be reached.</summary>
    NoContact,

    /// <summary>A test alarm.</summary>
    Test,

    /// <summary>A centre rule's cause went away (the device reports again) before anyone took the alarm.</summary>
    SelfCleared,
}

/// <summary>
/// What changed about an alarm: the type of its timeline entries (stored as the snake_case word) and
/// of the notices its seats' screens receive (the stream's event name).
/// </summary>
public enum AlarmChange
{
    /// <summary>Replayed to a screen that connects: the alarm is open and this seat sees it (a notice only, never on the timeline).</summary>
    Open,

    /// <summary>The incident was raised by its first cause.</summary>
    Raised,

    /// <summary>A further cause (another kind, another device) joined the incident.</summary>
    Joined,

    /// <summary>A cause more severe than the incident joined it: its severity rose and its ladder started again.</summary>
    SeverityRaised,

    /// <summary>Something was wrong around an event (clock, position, id, late delivery).</summary>
    Anomaly,

    /// <summary>Offered to seats.</summary>
    Offered,

    /// <summary>No seat was there to offer it to.</summary>
    NoSeatPresent,

    /// <summary>A later escalation step was taken.</summary>
    Escalated,

    /// <summary>Flagged for supervisors.</summary>
    Overdue,

    /// <summary>A seat took it.</summary>
    Accepted,

    /// <summary>The elder cancelled on a device whose cancel covers the incident; a seat must confirm.</summary>
    CancelRequested,

    /// <summary>A cancel that does not cover (all of) the incident: recorded, not applied.</summary>
    CancelIgnored,

    /// <summary>Closed with an outcome.</summary>
    Resolved,

    /// <summary>A centre rule's cause went away while a seat held the alarm, or while other causes remain.</summary>
    Recovered,

    /// <summary>The elder has no contact to text.</summary>
    NoContact,

    /// <summary>A text was queued for a contact or the maintenance list.</summary>
    SmsQueued,

    /// <summary>The provider accepted a text.</summary>
    SmsSent,

    /// <summary>The provider reported a text delivered.</summary>
    SmsDelivered,

    /// <summary>A text failed.</summary>
    SmsFailed,

    /// <summary>A text was not sent (no provider configured).</summary>
    SmsNotSent,

    /// <summary>A contact was put on a step's call tree.</summary>
    CallQueued,

    /// <summary>The provider placed a family call.</summary>
    CallPlaced,

    /// <summary>A family call was not placed (no provider configured).</summary>
    CallNotPlaced,

    /// <summary>A family call could not be placed or failed on the way.</summary>
    CallFailed,

    /// <summary>A family call found the line busy.</summary>
    CallBusy,

    /// <summary>Nobody answered a family call.</summary>
    CallNoAnswer,

    /// <summary>A family call was answered and ended without a 1.</summary>
    CallAnsweredWithoutConfirming,

    /// <summary>A family call was cancelled before it was answered.</summary>
    CallCanceled,

    /// <summary>No final status of a family call came in time; the call tree moved on.</summary>
    CallNoCallback,

    /// <summary>A family contact said they are going (a text "1"/"到", or 1 pressed during a call).</summary>
    FamilyGoing,

    /// <summary>A family contact's text that is not "going": a message for the seat.</summary>
    FamilyMessage,

    /// <summary>The crossing behind a wandering alarm (last positions, distance from home).</summary>
    WanderingDetail,

    /// <summary>The crossing behind a danger-zone alarm.</summary>
    DangerZoneDetail,

    /// <summary>A seat asked the elder's devices where they are.</summary>
    LocateRequested,

    /// <summary>A device answered a locate request.</summary>
    Located,

    /// <summary>No device answered a locate request in time.</summary>
    LocateUnanswered,

    /// <summary>The vitals rule's readings behind the alarm (detection rules).</summary>
    VitalsDetail,

    /// <summary>How long the elder showed no activity within active hours.</summary>
    InactivityDetail,

    /// <summary>Since when a device was silent, against its interval.</summary>
    DeviceSilentDetail,

    /// <summary>The battery level or the device's own low-battery event.</summary>
    LowBatteryDetail,

    /// <summary>Since when a watch was not worn.</summary>
    NotWornDetail,

    /// <summary>When the door opened, within which night hours.</summary>
    DoorDetail,

    /// <summary>What a rule saw end (vitals back in range, the device back), before the alarm engine's clear.</summary>
    RuleRecovered,

    /// <summary>A person of the centre (a seat, a supervisor) wrote a note on the alarm while it was not resolved.</summary>
    NoteAdded,
}
