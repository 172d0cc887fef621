using ElderIoT.Contracts;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace ElderIoT.Telemetry.Influx;

/// <summary>
/// Telemetry as InfluxDB points (see <see cref="TelemetrySchema"/>), built with InfluxDB.Client's own
/// <see cref="PointData"/>: its line protocol escapes measurements, tags and fields by the protocol's
/// rules, leaves out empty tags and absent (null, NaN, infinite) fields. Written by both write paths.
/// </summary>
public static class TelemetryPoints
{
    public static IReadOnlyList<PointData> From(IEnumerable<TelemetryEntry> batch)
    {
        var points = new List<PointData>();
        foreach (var entry in batch)
        {
            switch (entry)
            {
                case ReadingEntry { Reading: var r }:
                    points.Add(PointData.Measurement(TelemetrySchema.Readings)
                        .Tag(TelemetrySchema.DeviceTag, entry.DeviceId).Tag(TelemetrySchema.ElderTag, entry.ElderId.ToString())
                        .Field("lat", (object?)r.Position?.Lat).Field("lon", (object?)r.Position?.Lon).Field("acc", (object?)r.Position?.Accuracy)
                        .Field("hr", Integer(r.HeartRate)).Field("spo2", Integer(r.SpO2)).Field("sbp", Integer(r.Systolic)).Field("dbp", Integer(r.Diastolic))
                        .Field("steps", Integer(r.Steps)).Field("battery", Integer(r.Battery)).Field("worn", (object?)r.Worn)
                        // Every reading has at least this field, so a reading with nothing else is still a point.
                        .Field("n", 1L)
                        .Timestamp(Nanoseconds(r.Timestamp, TelemetryVariant.Of(entry)), WritePrecision.Ns));
                    break;
                case EventEntry { Event: var e } eventEntry:
                    points.Add(PointData.Measurement(TelemetrySchema.Events)
                        .Tag(TelemetrySchema.DeviceTag, entry.DeviceId).Tag(TelemetrySchema.ElderTag, entry.ElderId.ToString())
                        .Tag(TelemetrySchema.TypeTag, e.Type.ToSnakeCase())
                        .Field("event_id", e.EventId).Field("alarm_id", eventEntry.AlarmId?.ToString())
                        .Field("lat", (object?)e.Position?.Lat).Field("lon", (object?)e.Position?.Lon).Field("acc", (object?)e.Position?.Accuracy)
                        .Timestamp(Nanoseconds(e.OccurredAt, TelemetryVariant.Of(entry)), WritePrecision.Ns));
                    break;
            }
        }

        return points;
    }

    /// <summary>The points as line protocol, one per line (the body of a write).</summary>
    public static string ToLineProtocol(IEnumerable<PointData> points) => string.Join('\n', points.Select(p => p.ToLineProtocol()));

    /// <summary>
    /// The time to the millisecond, and <paramref name="variant"/> (0 … 999 999) as the nanoseconds
    /// within it, which keeps apart points that would otherwise share series and time (<see cref="TelemetryVariant"/>).
    /// </summary>
    public static long Nanoseconds(DateTimeOffset at, int variant)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variant);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(variant, TelemetryVariant.Count);
        return checked(at.ToUnixTimeMilliseconds() * TelemetryVariant.Count + variant);
    }

    /// <summary>Integers as InfluxDB integers (<c>42i</c>): a field keeps one type for its life, and readings are whole numbers.</summary>
    private static object? Integer(int? value) => value is { } v ? (long)v : null;
}
