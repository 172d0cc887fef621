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
}
