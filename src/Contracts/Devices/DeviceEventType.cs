using ElderIoT.Contracts.Alarms;

namespace ElderIoT.Contracts.Devices;

/// <summary>The event types of device protocol v1 (<c>devices/{id}/events</c>).</summary>
public enum DeviceEventType
{
    /// <summary>The elder pressed the SOS key.</summary>
    Sos,

    /// <summary>The elder cancelled an SOS on the device.</summary>
    SosCancel,

    /// <summary>The device detected a fall.</summary>
    Fall,

    /// <summary>A smoke detector went off.</summary>
    Smoke,

    /// <summary>A gas detector went off.</summary>
    Gas,

    /// <summary>A water leak sensor went off.</summary>
    Water,

    /// <summary>A door contact opened.</summary>
    Door,

    /// <summary>The device reports its battery is low.</summary>
    LowBattery,

    /// <summary>A care worker checks in at an elder's home from their own device (home visits, 002).</summary>
    VisitCheckIn,

    /// <summary>The care worker checks out of their open visit at that elder's home, from their own device.</summary>
    VisitCheckOut,

    // Below: events the centre writes into the elder's history itself; never accepted from a device.

    /// <summary>The elder's fixes confirmed leaving a zone (centre-made).</summary>
    GeofenceExit,

    /// <summary>The elder's fixes confirmed entering a zone (centre-made).</summary>
    GeofenceEnter,

    /// <summary>A seat asked the elder's devices where they are (centre-made).</summary>
    LocateRequested,

    /// <summary>A device answered a locate request with a fresh fix (centre-made).</summary>
    Located,

    /// <summary>No device answered a locate request in time (centre-made).</summary>
    LocateUnanswered,

    /// <summary>A centre rule raised an alarm from the device's readings or silence (centre-made).</summary>
    CentreAlarm,

    /// <summary>The vitals rule confirmed a reading beyond the elder's limits (centre-made).</summary>
    VitalsOutOfRange,

    /// <summary>The inactivity rule found no steps or motion for too long (centre-made).</summary>
    Inactive,

    /// <summary>The supervision rule found the device silent past its interval (centre-made).</summary>
    DeviceSilent,

    /// <summary>The not-worn rule found a watch off the wrist too long (centre-made).</summary>
    NotWorn,

    /// <summary>A condition a rule raised is over: vitals back in range, the device back, worn again (centre-made).</summary>
    RuleRecovered,
}

/// <summary>Which device events raise alarms: the one place the gateway and the grains ask.</summary>
public static class DeviceEventTypes
{
    /// <summary>The alarm an event of this type raises, or null when it raises none.</summary>
    public static AlarmKind? AlarmKindOf(this DeviceEventType type) => type switch
    {
        DeviceEventType.Sos => AlarmKind.Sos,
        DeviceEventType.Fall => AlarmKind.Fall,
        DeviceEventType.Smoke => AlarmKind.Smoke,
        DeviceEventType.Gas => AlarmKind.Gas,
        DeviceEventType.Water => AlarmKind.Water,
        _ => null,
    };

    /// <summary>True for the types that raise an alarm: once such a type is read, the alarm is raised whatever else is wrong.</summary>
    public static bool RaisesAlarm(this DeviceEventType type) => type.AlarmKindOf() is not null;

    /// <summary>True for the types a device may send; the rest are written by the centre into the elder's history.</summary>
    public static bool IsSentByDevices(this DeviceEventType type) => type <= DeviceEventType.VisitCheckOut;

    /// <summary>
    /// True for a home-visit check: it names the visited elder (<c>elderId</c>), raises nothing, and is
    /// taken only from a responder's own device.
    /// </summary>
    public static bool IsVisitCheck(this DeviceEventType type) => type is DeviceEventType.VisitCheckIn or DeviceEventType.VisitCheckOut;
}
