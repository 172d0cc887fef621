using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;

namespace ElderIoT.Records;

/// <summary>A cause of an incident as <see cref="AlarmRecord.Sources"/> keeps it: <c>kind:deviceId</c>.</summary>
public static class AlarmSources
{
    public static string Format(AlarmKind kind, string deviceId) => $"{kind.ToSnakeCase()}:{deviceId}";

    /// <summary>The kind before the first colon (device ids may hold colons); an unknown kind is kept as SOS, the safest reading.</summary>
    public static (AlarmKind Kind, string DeviceId) Parse(string source)
    {
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        var kindWord = colon < 0 ? source : source[..colon];
        var deviceId = colon < 0 ? "" : source[(colon + 1)..];
        return (EnumNames.TryParseSnakeCase<AlarmKind>(kindWord, out var kind) ? kind : AlarmKind.Sos, deviceId);
    }
}
