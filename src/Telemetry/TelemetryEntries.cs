using System.Text.Json.Serialization;
using ElderIoT.Contracts.Devices;

namespace ElderIoT.Telemetry;

/// <summary>One thing to keep in the time series: a reading or an event, of one device of one elder.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(ReadingEntry), "reading")]
[JsonDerivedType(typeof(EventEntry), "event")]
public abstract record TelemetryEntry(Guid ElderId, string DeviceId)
{
    public abstract DateTimeOffset Timestamp { get; }
}

/// <summary>A telemetry reading as the device sent it.</summary>
public sealed record ReadingEntry(Guid ElderId, string DeviceId, TelemetryReading Reading) : TelemetryEntry(ElderId, DeviceId)
{
    public override DateTimeOffset Timestamp => Reading.Timestamp;
}

/// <summary>A device event, with the alarm it raised or joined.</summary>
public sealed record EventEntry(Guid ElderId, string DeviceId, DeviceEvent Event, Guid? AlarmId) : TelemetryEntry(ElderId, DeviceId)
{
    public override DateTimeOffset Timestamp => Event.OccurredAt;
}

/// <summary>A point of an elder's track.</summary>
public sealed record TrackPoint(DateTimeOffset At, double Lat, double Lon, double? Accuracy);

/// <summary>Mean, minimum and maximum of a vital sign over one interval.</summary>
public sealed record VitalsBucket(DateTimeOffset Start, double Mean, double Min, double Max, long Count);

/// <summary>A stored reading with the device it came from.</summary>
public sealed record StoredReading(string DeviceId, TelemetryReading Reading);

/// <summary>A stored device event.</summary>
public sealed record StoredEvent(string DeviceId, string EventId, DeviceEventType Type, DateTimeOffset At, GeoPosition? Position, Guid? AlarmId);

/// <summary>The vital signs and device values that can be charted.</summary>
public enum VitalMetric
{
    /// <summary>Heart rate.</summary>
    Hr,

    /// <summary>Blood oxygen.</summary>
    Spo2,

    /// <summary>Systolic pressure.</summary>
    Sbp,

    /// <summary>Diastolic pressure.</summary>
    Dbp,

    /// <summary>Steps.</summary>
    Steps,

    /// <summary>Battery.</summary>
    Battery,
}
