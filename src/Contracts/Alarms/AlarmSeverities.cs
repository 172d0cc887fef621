namespace ElderIoT.Contracts.Alarms;

/// <summary>The severity each kind of alarm starts with: the one place every rule and the API ask.</summary>
public static class AlarmSeverities
{
    /// <summary>The default severity of an alarm of this kind; an incident takes the highest of its kinds.</summary>
    public static AlarmSeverity DefaultSeverity(this AlarmKind kind) => kind switch
    {
        AlarmKind.Sos or AlarmKind.Fall or AlarmKind.Smoke or AlarmKind.Gas => AlarmSeverity.Critical,
        AlarmKind.Water or AlarmKind.Vitals or AlarmKind.Wandering or AlarmKind.DangerZone or AlarmKind.Inactivity => AlarmSeverity.High,
        AlarmKind.Door => AlarmSeverity.Medium,
        AlarmKind.DeviceSilent or AlarmKind.LowBattery or AlarmKind.NotWorn => AlarmSeverity.Low,
        _ => AlarmSeverity.High,
    };
}
