namespace ElderIoT.Gateway.Decoding;

/// <summary>The topics of device protocol v1: <c>devices/{id}/telemetry|events|commands</c>.</summary>
public readonly record struct DeviceTopic(string DeviceId, DeviceTopicKind Kind)
{
    public const string Prefix = "devices/";

    public static string Commands(string deviceId) => $"{Prefix}{deviceId}/commands";

    public static bool TryParse(string? topic, out DeviceTopic parsed)
    {
        parsed = default;
        var parts = topic?.Split('/');
        if (parts is not { Length: 3 } || parts[0] != "devices" || parts[1].Length == 0)
        {
            return false;
        }

        DeviceTopicKind? kind = parts[2] switch
        {
            "telemetry" => DeviceTopicKind.Telemetry,
            "events" => DeviceTopicKind.Events,
            "commands" => DeviceTopicKind.Commands,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        parsed = new DeviceTopic(parts[1], kind.Value);
        return true;
    }
}

/// <summary>Which of a device's topics.</summary>
public enum DeviceTopicKind
{
    /// <summary>Readings, device → centre.</summary>
    Telemetry,

    /// <summary>Events (SOS, fall, sensors), device → centre.</summary>
    Events,

    /// <summary>Commands, centre → device.</summary>
    Commands,
}
