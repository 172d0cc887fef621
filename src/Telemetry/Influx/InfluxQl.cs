using System.Globalization;
using System.Text;

namespace ElderIoT.Telemetry.Influx;

/// <summary>Pieces of InfluxQL built safely: quoted identifiers, string literals and millisecond times.</summary>
internal static class InfluxQl
{
    public static string Identifier(string name) => "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static string Literal(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    public static string Time(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "ms";

    public static string Duration(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    public static string TimeRange(DateTimeOffset from, DateTimeOffset to) => $"time >= {Time(from)} AND time < {Time(to)}";

    /// <summary>The GROUP BY time offset that aligns intervals to <paramref name="from"/> instead of the epoch.</summary>
    public static string AlignedTo(DateTimeOffset from, TimeSpan interval)
    {
        var ms = (long)interval.TotalMilliseconds;
        var offset = ((from.ToUnixTimeMilliseconds() % ms) + ms) % ms;
        return $"time({ms.ToString(CultureInfo.InvariantCulture)}ms, {offset.ToString(CultureInfo.InvariantCulture)}ms)";
    }

    public static string From(string? retentionPolicy, string measurement)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrEmpty(retentionPolicy))
        {
            text.Append(Identifier(retentionPolicy)).Append('.');
        }

        return text.Append(Identifier(measurement)).ToString();
    }
}
