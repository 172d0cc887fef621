using System.Globalization;
using System.Text.RegularExpressions;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Telemetry;

namespace ElderIoT.Api.Telemetry;

/// <summary>Reads and checks the time range of a history query; each bad parameter is named in the 400.</summary>
internal static partial class TelemetryQuery
{
    private static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(24);

    /// <summary>
    /// The instants a query may name: from the Unix epoch (no device has history before it) to the
    /// year 9000, which leaves room for the default span and intervals without overflowing a date.
    /// </summary>
    private static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset Latest = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>from defaults to 24 h before to; to defaults to now. Both ISO 8601 or epoch milliseconds.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(string? from, string? to, TelemetryOptions options, TimeProvider clock, RequestErrors errors) =>
        Range(from, to, options.MaxQuerySpan, end => end - DefaultSpan, clock, errors);

    /// <summary>
    /// The same for any query over time (reports too): <paramref name="defaultFrom"/> gives from when it is
    /// not named, from the end; the span may be at most <paramref name="maxSpan"/>.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(
        string? from, string? to, TimeSpan maxSpan, Func<DateTimeOffset, DateTimeOffset> defaultFrom, TimeProvider clock, RequestErrors errors)
    {
        var end = Parse(to, "to", errors) ?? clock.GetUtcNow();
        var start = Parse(from, "from", errors) ?? defaultFrom(end);
        if (start >= end)
        {
            errors.Add("from", ApiTexts.FromBeforeTo);
        }
        else if (end - start > maxSpan)
        {
            errors.Add("to", ApiTexts.SpanAtMostDays(maxSpan.TotalDays));
        }

        return (start, end);
    }

    /// <summary>An interval such as 30s, 5m, 1h or 1d.</summary>
    public static TimeSpan? Interval(string? text, RequestErrors errors)
    {
        var match = IntervalPattern().Match(text ?? "5m");
        if (!match.Success)
        {
            errors.Add("interval", ApiTexts.IntervalForm);
            return null;
        }

        var amount = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var interval = match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
        if (interval < TimeSpan.FromSeconds(1))
        {
            errors.Add("interval", ApiTexts.IntervalAtLeastOneSecond);
            return null;
        }

        return interval;
    }

    private static DateTimeOffset? Parse(string? text, string field, RequestErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        DateTimeOffset? at = null;
        if (text.Length <= 64)
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                at = ms <= Latest.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : Latest.AddDays(1);
            }
            else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                at = parsed.ToUniversalTime();
            }
        }

        if (at is null)
        {
            errors.Add(field, ApiTexts.TimeForm);
            return null;
        }

        if (at < Earliest || at > Latest)
        {
            errors.Add(field, ApiTexts.Between(Earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            return null;
        }

        return at;
    }

    [GeneratedRegex("^([0-9]{1,6})([smhd])$")]
    private static partial Regex IntervalPattern();
}
