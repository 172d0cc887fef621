using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ElderIoT.Telemetry;

/// <summary>
/// Tells apart two points of one device at one millisecond. A point's key in both stores is its
/// series, its millisecond and this number, derived from what the point says: an exact replay (a
/// spooled batch written again) has the same key and is stored once, while a different reading at
/// the same millisecond (a device whose clock stands still, two sensors in one box) is kept beside
/// the first instead of silently replacing it. In InfluxDB it is the sub-millisecond nanoseconds of
/// the timestamp, so it adds no series; the embedded store keeps it as a column.
/// </summary>
public static class TelemetryVariant
{
    /// <summary>Variants run 0 … Count − 1: the nanoseconds within a millisecond.</summary>
    public const int Count = 1_000_000;

    public static int Of(TelemetryEntry entry)
    {
        var content = entry switch
        {
            ReadingEntry { Reading: var r } => string.Create(CultureInfo.InvariantCulture,
                $"reading|{r.Position?.Lat:R}|{r.Position?.Lon:R}|{r.Position?.Accuracy:R}|{r.HeartRate}|{r.SpO2}|{r.Systolic}|{r.Diastolic}|{r.Steps}|{r.Battery}|{r.Worn}"),
            // An event is the same event when its id and content key (type, device time, repeat) are:
            // the rule the device grain uses for duplicates. Its position and alarm come with it.
            EventEntry { Event: var e } => $"event|{e.EventId}|{e.ContentKey}",
            _ => throw new ArgumentOutOfRangeException(nameof(entry)),
        };
        // A stable hash (string.GetHashCode differs per process): the replay may run after a restart.
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(content), hash);
        return (int)(BitConverter.ToUInt64(hash) % Count);
    }
}
