using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ElderIoT.Contracts.Devices;

/// <summary>
/// The JSON a device receives on its commands topic: the centre's command object with the command's
/// id as its first field, so that a device can acknowledge, deduplicate and refer to it, and so that
/// the gateway can tell which command a PUBACK answers without reading the rest.
/// </summary>
public static class DeviceCommandPayload
{
    /// <summary>The field that carries the command id.</summary>
    public const string IdField = "id";

    /// <summary>The command object with <c>"id"</c> first; any <c>id</c> the object had is replaced.</summary>
    public static string WithId(Guid commandId, string commandJson)
    {
        var command = JsonNode.Parse(commandJson)?.AsObject() ?? throw new ArgumentException("A command is a JSON object.", nameof(commandJson));
        var payload = new JsonObject { [IdField] = commandId.ToString() };
        foreach (var (name, value) in command)
        {
            if (name != IdField)
            {
                payload[name] = value?.DeepClone();
            }
        }

        return payload.ToJsonString();
    }

    /// <summary>Reads the command id from a payload made by <see cref="WithId"/>; false for anything else.</summary>
    public static bool TryReadId(ReadOnlySpan<byte> payload, out Guid commandId)
    {
        commandId = default;
        try
        {
            var reader = new Utf8JsonReader(payload);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject
                && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(IdField)
                && reader.Read() && reader.TokenType == JsonTokenType.String
                && Guid.TryParse(reader.GetString(), out commandId);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary><see cref="TryReadId(ReadOnlySpan{byte}, out Guid)"/> for a payload as text.</summary>
    public static bool TryReadId(string payload, out Guid commandId) => TryReadId(Encoding.UTF8.GetBytes(payload), out commandId);
}
