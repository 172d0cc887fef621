namespace ElderIoT.DeviceSim;

/// <summary>Latency percentiles by the nearest-rank method: p is a value that was actually measured.</summary>
internal static class Percentiles
{
    public static double? Of(IReadOnlyCollection<double> samples, double percentile)
    {
        if (percentile is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), "must be 0..100");
        }

        if (samples.Count == 0)
        {
            return null;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Describe(IReadOnlyCollection<double> samples) =>
        samples.Count == 0
            ? "no samples"
            : $"p50 {Of(samples, 50):0.0} ms, p95 {Of(samples, 95):0.0} ms, p99 {Of(samples, 99):0.0} ms, max {samples.Max():0.0} ms (n={samples.Count})";
}
