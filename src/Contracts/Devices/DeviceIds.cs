using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ElderIoT.Contracts.Devices;

/// <summary>
/// What a device id may be. It becomes a grain key, an MQTT client id and part of MQTT topics, so
/// registration refuses any other id, and the gateway refuses any other client id before it costs
/// a grain activation.
/// </summary>
public static partial class DeviceIds
{
    /// <summary>Longest device id.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="id"/> is 1–64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? id) => id is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Pattern();
}
