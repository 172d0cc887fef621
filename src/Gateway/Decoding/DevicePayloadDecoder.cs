using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace ElderIoT.Gateway.Decoding;

/// <summary>
/// Decodes and validates device protocol v1 JSON. Strict on purpose: a reading out of physical
/// range is a broken sensor or a bug, and storing it would mislead the seat reading it. Every
/// refusal names the field and why, since that text goes back to the device's developers.
/// </summary>
public sealed class DevicePayloadDecoder(IOptions<GatewayOptions> options, TimeProvider clock)
{
    private const int MaxDepth = 8;
    private const int MaxEventIdLength = 64;

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // A device time before this is a clock that was never set (watches start at 1970 or 2000), not
    // an event buffered while offline: ElderIoT did not exist yet.
    private static readonly DateTimeOffset ClockSetSince = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DecodeResult<IReadOnlyList<TelemetryReading>> DecodeTelemetry(ReadOnlySequence<byte> payload)
    {
        if (!TryParse(payload, out var document, out var error))
        {
            return DecodeResult<IReadOnlyList<TelemetryReading>>.Invalid(error);
        }

        using (document)
        {
            var root = document!.RootElement;
            var items = root.ValueKind switch
            {
                JsonValueKind.Object => [root],
                JsonValueKind.Array => root.EnumerateArray().ToList(),
                _ => null,
            };
            if (items is null)
            {
                return DecodeResult<IReadOnlyList<TelemetryReading>>.Invalid("telemetry must be a JSON object or an array of objects");
            }

            if (items.Count == 0 || items.Count > options.Value.MaxReadingsPerMessage)
            {
                return DecodeResult<IReadOnlyList<TelemetryReading>>.Invalid($"telemetry must hold 1 to {options.Value.MaxReadingsPerMessage} readings, not {items.Count}");
            }

            var readings = new List<TelemetryReading>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var reading = DecodeReading(items[i], out var readingError);
                if (reading is null)
                {
                    var where = root.ValueKind == JsonValueKind.Array ? $"[{i}]." : "";
                    return DecodeResult<IReadOnlyList<TelemetryReading>>.Invalid(where + readingError);
                }

                readings.Add(reading);
            }

            return DecodeResult<IReadOnlyList<TelemetryReading>>.Ok(readings);
        }
    }

    /// <summary>
    /// Decodes an event. Once its type is read and it is an alarm type, it is never refused: a bad
    /// id, time or position is left out (or replaced) and listed in <see cref="DeviceEvent.Anomalies"/>.
    /// Other types are refused for any error, as telemetry is. Never throws.
    /// </summary>
    public DecodeResult<DeviceEvent> DecodeEvent(string deviceId, ReadOnlySequence<byte> payload)
    {
        try
        {
            return DecodeEventFields(deviceId, payload);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A decoder bug must not lose an SOS: raise on the type alone if it can be read.
            return BareAlarm(deviceId, payload, exception);
        }
    }

    private DecodeResult<DeviceEvent> DecodeEventFields(string deviceId, ReadOnlySequence<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return DecodeResult<DeviceEvent>.Invalid("payload is empty");
        }

        var read = TopLevelObject.Read(payload);
        if (read.Properties is null)
        {
            return DecodeResult<DeviceEvent>.Invalid(read.Error ?? "an event must be a JSON object");
        }

        var fields = new Fields(read.Properties);
        var typeText = fields.String("type");
        if (fields.TakeError() is { } typeError)
        {
            return DecodeResult<DeviceEvent>.Invalid(typeError);
        }

        if (!EnumNames.TryParseSnakeCase<DeviceEventType>(typeText, out var type) || !type.IsSentByDevices())
        {
            return DecodeResult<DeviceEvent>.Invalid(read.Error is { } broken && typeText is null
                ? $"payload is not valid JSON: {broken}"
                : $"type: '{typeText}' is not one of {string.Join(", ", Enum.GetValues<DeviceEventType>().Where(t => t.IsSentByDevices()).Select(t => t.ToSnakeCase()))}");
        }

        var now = clock.GetUtcNow();
        var anomalies = new List<EventAnomaly>();
        // Only an alarm type is taken whatever else is wrong; anything else is refused for its first error.
        var lenient = type.RaisesAlarm();
        if (read.Error is { } malformed)
        {
            if (!lenient)
            {
                return DecodeResult<DeviceEvent>.Invalid($"payload is not valid JSON: {malformed}");
            }

            anomalies.Add(new EventAnomaly(EventAnomalyKind.PayloadMalformed, $"payload broken ({malformed}): raised on what came before"));
        }

        var id = fields.String("id");
        if (fields.Error is null && (string.IsNullOrWhiteSpace(id) || id.Length > MaxEventIdLength))
        {
            fields.Fail(id is null ? "id: required, 1 to 64 characters" : $"id: {id.Length} characters, must be 1 to 64");
        }

        if (fields.TakeError() is { } idError)
        {
            if (!lenient)
            {
                return DecodeResult<DeviceEvent>.Invalid(idError);
            }

            id = DerivedEventId(payload);
            anomalies.Add(new EventAnomaly(EventAnomalyKind.IdMissing, $"event id missing ({idError}): {id} derived from the payload, so a resend is still recognised"));
        }

        var deviceTime = Time(fields);
        var occurredAt = deviceTime ?? now;
        if (fields.TakeError() is { } timeError)
        {
            if (!lenient)
            {
                return DecodeResult<DeviceEvent>.Invalid(timeError);
            }

            anomalies.Add(new EventAnomaly(EventAnomalyKind.ClockUnreadable, $"device time unreadable ({timeError}): raised at receipt time"));
        }
        else if (deviceTime is { } reported && ClockAnomaly(reported, now) is { } clockAnomaly)
        {
            if (!lenient)
            {
                return DecodeResult<DeviceEvent>.Invalid($"ts: {reported:O} is outside the accepted range (device clock not set?)");
            }

            anomalies.Add(clockAnomaly);
            occurredAt = now;
        }

        var position = Position(fields);
        if (fields.TakeError() is { } positionError)
        {
            if (!lenient)
            {
                return DecodeResult<DeviceEvent>.Invalid(positionError);
            }

            anomalies.Add(new EventAnomaly(EventAnomalyKind.PositionRefused, $"position missing: {positionError}"));
            position = null;
        }

        Guid? visitedElderId = null;
        if (type.IsVisitCheck())
        {
            // Only visit checks name an elder: on any other type an elderId is ignored, never trusted.
            var elderText = fields.String("elderId");
            if (fields.TakeError() is { } elderError)
            {
                return DecodeResult<DeviceEvent>.Invalid(elderError);
            }

            if (!Guid.TryParse(elderText, CultureInfo.InvariantCulture, out var elderId))
            {
                return DecodeResult<DeviceEvent>.Invalid(elderText is null ? "elderId: required for a visit check, the visited elder's id" : "elderId: must be an elder id (a GUID)");
            }

            visitedElderId = elderId;
        }

        return DecodeResult<DeviceEvent>.Ok(new DeviceEvent(deviceId, id!, type, occurredAt, position)
        {
            DeviceTime = deviceTime,
            VisitedElderId = visitedElderId,
            Anomalies = anomalies.Count == 0 ? [] : [.. anomalies],
        });
    }

    /// <summary>The last resort when decoding failed unexpectedly: an alarm type still raises, with nothing else.</summary>
    private DecodeResult<DeviceEvent> BareAlarm(string deviceId, ReadOnlySequence<byte> payload, Exception exception)
    {
        var failure = $"the payload could not be decoded ({exception.GetType().Name})";
        try
        {
            var properties = TopLevelObject.Read(payload).Properties;
            var typeText = properties is null ? null : new Fields(properties).String("type");
            if (EnumNames.TryParseSnakeCase<DeviceEventType>(typeText, out var type) && type.RaisesAlarm())
            {
                return DecodeResult<DeviceEvent>.Ok(new DeviceEvent(deviceId, DerivedEventId(payload), type, clock.GetUtcNow(), null)
                {
                    Anomalies = [new EventAnomaly(EventAnomalyKind.PayloadMalformed, $"{failure}: raised on its type alone")],
                });
            }
        }
        catch (Exception) when (exception is not OutOfMemoryException)
        {
            // Nothing more can be read; refused below.
        }

        return DecodeResult<DeviceEvent>.Invalid(failure);
    }

    /// <summary>
    /// An id for an event that came without a usable one: the same bytes give the same id, so a
    /// device's resend of an unacknowledged SOS is still recognised as a duplicate.
    /// </summary>
    internal static string DerivedEventId(ReadOnlySequence<byte> payload)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in payload)
        {
            hash.AppendData(segment.Span);
        }

        return "p-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>What is wrong with a readable device time: ahead of the centre, or a clock never set.</summary>
    private EventAnomaly? ClockAnomaly(DateTimeOffset reported, DateTimeOffset now)
    {
        if (reported > now + options.Value.MaxClockSkew)
        {
            return new EventAnomaly(EventAnomalyKind.ClockAhead, $"device clock {Span(reported - now)} ahead: raised at receipt time, device time kept ({reported:O})");
        }

        return reported < ClockSetSince
            ? new EventAnomaly(EventAnomalyKind.ClockBehind, $"device clock not set ({reported:O}): raised at receipt time, device time kept")
            : null;
    }

    private static string Span(TimeSpan span) => span switch
    {
        { TotalDays: >= 2 } => $"{Math.Round(span.TotalDays):0} d",
        { TotalMinutes: >= 59.5 } => $"{Math.Round(span.TotalHours):0} h",
        _ => $"{Math.Round(span.TotalMinutes):0} min",
    };

    private TelemetryReading? DecodeReading(JsonElement element, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "a reading must be a JSON object";
            return null;
        }

        var fields = new Fields(element);
        var ts = Time(fields);
        if (fields.Error is null && ts is null)
        {
            fields.Fail("ts: required (ISO 8601 or epoch milliseconds)");
        }
        else if (ts is { } value && (value < Earliest || value > clock.GetUtcNow() + options.Value.MaxClockSkew))
        {
            fields.Fail($"ts: {value:O} is outside the accepted range (device clock not set?)");
        }

        var position = Position(fields);
        var hr = fields.Int("hr", 20, 250);
        var spo2 = fields.Int("spo2", 50, 100);
        var sbp = fields.Int("sbp", 50, 260);
        var dbp = fields.Int("dbp", 30, 160);
        var steps = fields.Int("steps", 0, 200_000);
        var battery = fields.Int("battery", 0, 100);
        var worn = fields.Bool("worn");
        if (fields.Error is { } fieldError)
        {
            error = fieldError;
            return null;
        }

        return new TelemetryReading(ts!.Value, position, hr, spo2, sbp, dbp, steps, battery, worn);
    }

    /// <summary>The time a device sent in <c>ts</c>, in UTC; null when absent or (with an error) unreadable.</summary>
    private static DateTimeOffset? Time(Fields fields)
    {
        if (!fields.TryGet("ts", out var ts) || ts.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        DateTimeOffset? value = ts.ValueKind switch
        {
            JsonValueKind.Number when ts.TryGetInt64(out var ms) && ms is >= 0 and < 253402300799999 => DateTimeOffset.FromUnixTimeMilliseconds(ms),
            JsonValueKind.String when fields.String("ts") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
            _ => null,
        };
        if (value is null)
        {
            fields.Fail("ts: must be ISO 8601 or epoch milliseconds");
            return null;
        }

        return value.Value.ToUniversalTime();
    }

    private static GeoPosition? Position(Fields fields)
    {
        var lat = fields.Double("lat", -90, 90);
        var lon = fields.Double("lon", -180, 180);
        var acc = fields.Double("acc", 0, 100_000);
        if (fields.Error is not null)
        {
            return null;
        }

        if ((lat is null) != (lon is null))
        {
            fields.Fail("lat and lon: give both or neither");
            return null;
        }

        return lat is { } la && lon is { } lo ? new GeoPosition(la, lo, acc) : null;
    }

    private static bool TryParse(ReadOnlySequence<byte> payload, out JsonDocument? document, out string error)
    {
        document = null;
        error = "";
        if (payload.IsEmpty)
        {
            error = "payload is empty";
            return false;
        }

        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return true;
        }
        catch (JsonException exception)
        {
            error = $"payload is not valid JSON: {exception.Message}";
            return false;
        }
    }

    /// <summary>
    /// The top-level properties of a JSON object, read one by one so that what came before a break
    /// is kept: a watch whose payload is cut after <c>"type":"sos"</c> has still said SOS.
    /// </summary>
    private readonly record struct TopLevelObject(IReadOnlyDictionary<string, JsonElement>? Properties, string? Error)
    {
        public static TopLevelObject Read(ReadOnlySequence<byte> payload)
        {
            var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MaxDepth });
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return new TopLevelObject(null, "an event must be a JSON object");
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string? name;
                    try
                    {
                        name = reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        name = null; // not valid text: its value is skipped below
                    }

                    var value = JsonElement.ParseValue(ref reader);
                    if (name is not null)
                    {
                        properties.TryAdd(name, value); // the first of a repeated name counts
                    }
                }

                return new TopLevelObject(properties, null);
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
            {
                var error = exception.Message.TrimEnd('.');
                return new TopLevelObject(properties.Count == 0 ? null : properties, properties.Count == 0 ? $"payload is not valid JSON: {error}" : error);
            }
        }
    }

    /// <summary>Reads optional fields of one object, keeping the first error.</summary>
    private sealed class Fields
    {
        private readonly JsonElement _root;
        private readonly IReadOnlyDictionary<string, JsonElement>? _properties;

        public Fields(JsonElement root) => _root = root;

        public Fields(IReadOnlyDictionary<string, JsonElement> properties) => _properties = properties;

        public string? Error { get; private set; }

        public void Fail(string error) => Error ??= error;

        /// <summary>The first error since the last call, cleared, so that each part of an event is judged on its own.</summary>
        public string? TakeError()
        {
            var error = Error;
            Error = null;
            return error;
        }

        public bool TryGet(string name, out JsonElement value) =>
            _properties is null ? _root.TryGetProperty(name, out value) : _properties.TryGetValue(name, out value);

        public string? String(string name)
        {
            if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                try
                {
                    return value.GetString();
                }
                catch (InvalidOperationException)
                {
                    // Bytes that are not UTF-8, or an escaped lone surrogate: no text can be made of them.
                    Fail($"{name}: not valid UTF-8 text");
                    return null;
                }
            }

            // Some firmware sends numeric ids; keep them as their text.
            if (value.ValueKind == JsonValueKind.Number)
            {
                return value.GetRawText();
            }

            Fail($"{name}: must be a string");
            return null;
        }

        public int? Int(string name, int min, int max)
        {
            var number = Double(name, min, max);
            if (number is { } n && n != Math.Floor(n))
            {
                Fail($"{name}: must be a whole number");
                return null;
            }

            return number is { } whole ? (int)whole : null;
        }

        public double? Double(string name, double min, double max)
        {
            if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                Fail($"{name}: must be a number");
                return null;
            }

            if (number < min || number > max)
            {
                Fail(string.Create(CultureInfo.InvariantCulture, $"{name}: {number} is outside {min}..{max}"));
                return null;
            }

            return number;
        }

        public bool? Bool(string name)
        {
            if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Fail($"{name}: must be true or false");
                return null;
            }

            return value.GetBoolean();
        }
    }
}
