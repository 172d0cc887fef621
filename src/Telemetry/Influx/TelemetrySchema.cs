namespace ElderIoT.Telemetry.Influx;

/// <summary>
/// The time-series schema, shared by both stores. Two measurements; tags are the elder and device
/// ids (and the event type), so the number of series grows with devices, never with readings.
/// Everything that varies per reading is a field.
/// </summary>
internal static class TelemetrySchema
{
    public const string Readings = "telemetry";
    public const string Events = "device_event";
    public const string ElderTag = "elder";
    public const string DeviceTag = "device";
    public const string TypeTag = "type";

    public static string FieldOf(VitalMetric metric) => metric switch
    {
        VitalMetric.Hr => "hr",
        VitalMetric.Spo2 => "spo2",
        VitalMetric.Sbp => "sbp",
        VitalMetric.Dbp => "dbp",
        VitalMetric.Steps => "steps",
        VitalMetric.Battery => "battery",
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };
}
