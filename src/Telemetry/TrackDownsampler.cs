namespace ElderIoT.Telemetry;

/// <summary>
/// Thins a track to at most <c>maxPoints</c>: the span is cut into that many equal slices and the
/// latest fix of each slice is kept, with its real time. A seat reading the map sees where the
/// elder last was in each slice, not an average position nobody stood at.
/// </summary>
public static class TrackDownsampler
{
    public static IReadOnlyList<TrackPoint> LatestPerSlice(IEnumerable<TrackPoint> points, DateTimeOffset from, DateTimeOffset to, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var spanMs = Math.Max(1, (to - from).TotalMilliseconds);
        var sliceMs = Math.Ceiling(spanMs / maxPoints);
        var latest = new SortedDictionary<long, TrackPoint>();
        foreach (var point in points)
        {
            if (point.At < from || point.At >= to)
            {
                continue;
            }

            var slice = (long)Math.Floor((point.At - from).TotalMilliseconds / sliceMs);
            if (!latest.TryGetValue(slice, out var kept) || point.At >= kept.At)
            {
                latest[slice] = point;
            }
        }

        return [.. latest.Values];
    }
}
