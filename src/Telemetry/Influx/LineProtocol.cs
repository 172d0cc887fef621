using System.Globalization;
using System.Text;

namespace ElderIoT.Telemetry.Influx;

/// <summary>
/// Writes InfluxDB line protocol: <c>measurement,tag=v field=1i,other="s" 1764039540000</c> with
/// millisecond timestamps. Escaping follows the protocol: commas and spaces in measurements; commas,
/// equals signs and spaces in tag keys, tag values and field keys; double quotes and backslashes
/// in string field values. What the protocol cannot carry (NaN, infinities, line breaks in names)
/// is refused, not silently mangled.
/// </summary>
public sealed class LineProtocol
{
    private readonly StringBuilder _text = new();
    private bool _hasFields;

    public int Lines { get; private set; }

    public LineProtocol Measurement(string name)
    {
        if (_text.Length > 0)
        {
            _text.Append('\n');
        }

        RequireName(name, "measurement");
        Escape(name, measurement: true);
        _hasFields = false;
        Lines++;
        return this;
    }

    public LineProtocol Tag(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return this; // The protocol has no empty tag values: an absent tag is the way to say none.
        }

        RequireName(key, "tag key");
        RequireName(value, "tag value");
        _text.Append(',');
        Escape(key, measurement: false);
        _text.Append('=');
        Escape(value, measurement: false);
        return this;
    }

    public LineProtocol Field(string key, double? value)
    {
        if (value is not { } v)
        {
            return this;
        }

        if (!double.IsFinite(v))
        {
            throw new ArgumentException($"field {key}: {v} cannot be written (line protocol has no NaN or infinity)", nameof(value));
        }

        FieldKey(key).Append(v.ToString("R", CultureInfo.InvariantCulture));
        return this;
    }

    public LineProtocol Field(string key, long? value)
    {
        if (value is { } v)
        {
            FieldKey(key).Append(v.ToString(CultureInfo.InvariantCulture)).Append('i');
        }

        return this;
    }

    public LineProtocol Field(string key, bool? value)
    {
        if (value is { } v)
        {
            FieldKey(key).Append(v ? "true" : "false");
        }

        return this;
    }

    public LineProtocol Field(string key, string? value)
    {
        if (value is null)
        {
            return this;
        }

        var text = FieldKey(key).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('"');
        return this;
    }

    /// <summary>
    /// Ends the line with its timestamp in nanoseconds (the client writes with ns precision): the time
    /// to the millisecond, and <paramref name="subMillisecond"/> (0 … 999 999) as the nanoseconds
    /// within it, which keeps apart points that would otherwise share series and time (<see cref="TelemetryVariant"/>).
    /// A line needs at least one field.
    /// </summary>
    public LineProtocol Timestamp(DateTimeOffset at, int subMillisecond = 0)
    {
        if (!_hasFields)
        {
            throw new InvalidOperationException("a line needs at least one field");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(subMillisecond);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(subMillisecond, TelemetryVariant.Count);
        var nanoseconds = (Int128)at.ToUnixTimeMilliseconds() * TelemetryVariant.Count + subMillisecond;
        _text.Append(' ').Append(nanoseconds.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public override string ToString() => _text.ToString();

    private StringBuilder FieldKey(string key)
    {
        RequireName(key, "field key");
        _text.Append(_hasFields ? ',' : ' ');
        _hasFields = true;
        Escape(key, measurement: false);
        return _text.Append('=');
    }

    private void Escape(string name, bool measurement)
    {
        foreach (var c in name)
        {
            if (c is ',' or ' ' || (!measurement && c == '='))
            {
                _text.Append('\\');
            }

            _text.Append(c);
        }
    }

    private static void RequireName(string name, string what)
    {
        if (string.IsNullOrEmpty(name) || name.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            throw new ArgumentException($"{what} '{name}' cannot be written: empty or has a line break");
        }

        if (name[^1] == '\\')
        {
            // A trailing backslash would escape the separator after it.
            throw new ArgumentException($"{what} '{name}' cannot end with a backslash");
        }
    }
}
