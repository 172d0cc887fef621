namespace ElderIoT.Api.Access;

/// <summary>
/// The command types an operator may send to a device through the API, and who may send each. A
/// device's input buffer is small and its firmware trusts the centre: an unknown type, or a reset
/// from a role that has no business resetting, is refused before it is queued. The centre's own
/// commands (<c>alarm_accepted</c>, the wandering rule's <c>config</c>) are sent by grains, not here.
/// </summary>
public static class DeviceCommandTypes
{
    private static readonly AccessRole[] Handling = [AccessRole.Admin, AccessRole.Supervisor, AccessRole.Seat];
    private static readonly AccessRole[] Installing = [AccessRole.Admin, AccessRole.Installer];

    /// <summary>Type → roles. Seats reach a device only while handling its elder's alarm (AccessScope.Device).</summary>
    public static IReadOnlyDictionary<string, AccessRole[]> Allowed { get; } = new Dictionary<string, AccessRole[]>(StringComparer.Ordinal)
    {
        ["locate"] = Handling,
        ["ring"] = Handling,
        ["ping"] = [AccessRole.Admin, AccessRole.Supervisor, AccessRole.Installer],
        ["config"] = Installing,
        ["set_interval"] = Installing,
        ["reboot"] = Installing,
        ["factory_reset"] = Installing,
    };

    public static bool IsKnown(string type) => Allowed.ContainsKey(type);

    public static bool MaySend(AccessRole role, string type) => Allowed.TryGetValue(type, out var roles) && roles.Contains(role);
}
