using System.Buffers;
using System.Globalization;
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
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

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

    public DecodeResult<DeviceEvent> DecodeEvent(string deviceId, ReadOnlySequence<byte> payload)
    {
        if (!TryParse(payload, out var document, out var error))
        {
            return DecodeResult<DeviceEvent>.Invalid(error);
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return DecodeResult<DeviceEvent>.Invalid("an event must be a JSON object");
            }

            var fields = new Fields(root);
            var id = fields.String("id");
            if (fields.Error is null && (string.IsNullOrWhiteSpace(id) || id.Length > 64))
            {
                fields.Fail("id: required, 1 to 64 characters");
            }

            var typeText = fields.String("type");
            if (fields.Error is null && !EnumNames.TryParseSnakeCase<DeviceEventType>(typeText, out _))
            {
                fields.Fail($"type: '{typeText}' is not one of {string.Join(", ", Enum.GetValues<DeviceEventType>().Select(t => t.ToSnakeCase()))}");
            }

            var ts = Timestamp(fields, required: false);
            var position = Position(fields);
            if (fields.Error is { } fieldError)
            {
                return DecodeResult<DeviceEvent>.Invalid(fieldError);
            }

            EnumNames.TryParseSnakeCase<DeviceEventType>(typeText, out var type);
            return DecodeResult<DeviceEvent>.Ok(new DeviceEvent(deviceId, id!, type, ts ?? clock.GetUtcNow(), position));
        }
    }

    private TelemetryReading? DecodeReading(JsonElement element, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "a reading must be a JSON object";
            return null;
        }

        var fields = new Fields(element);
        var ts = Timestamp(fields, required: true);
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

    private DateTimeOffset? Timestamp(Fields fields, bool required)
    {
        if (!fields.Root.TryGetProperty("ts", out var ts) || ts.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                fields.Fail("ts: required (ISO 8601 or epoch milliseconds)");
            }

            return null;
        }

        DateTimeOffset? value = ts.ValueKind switch
        {
            JsonValueKind.Number when ts.TryGetInt64(out var ms) && ms is > 0 and < 253402300799999 => DateTimeOffset.FromUnixTimeMilliseconds(ms),
            JsonValueKind.String when DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
            _ => null,
        };
        if (value is null)
        {
            fields.Fail("ts: must be ISO 8601 or epoch milliseconds");
            return null;
        }

        if (value < Earliest || value > clock.GetUtcNow() + options.Value.MaxClockSkew)
        {
            fields.Fail($"ts: {value:O} is outside the accepted range (device clock not set?)");
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
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 8 });
            return true;
        }
        catch (JsonException exception)
        {
            error = $"payload is not valid JSON: {exception.Message}";
            return false;
        }
    }

    /// <summary>Reads optional fields of one object, keeping the first error.</summary>
    private sealed class Fields(JsonElement root)
    {
        public JsonElement Root { get; } = root;

        public string? Error { get; private set; }

        public void Fail(string error) => Error ??= error;

        public string? String(string name)
        {
            if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
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
            if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
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
            if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
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
