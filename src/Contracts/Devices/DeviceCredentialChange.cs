namespace ElderIoT.Contracts.Devices;

/// <summary>A change to whether and how a device may log in, recorded on the device's access history.</summary>
public enum DeviceCredentialChange
{
    /// <summary>A new secret was issued; the old one stopped working and the live session was ended.</summary>
    SecretRotated,

    /// <summary>The device was taken out of service: refused at connect, its live session ended.</summary>
    Disabled,

    /// <summary>The device was put back in service.</summary>
    Enabled,
}

/// <summary>One entry of a device's access history.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceCredentialChangeEntry(
    [property: Id(0)] DeviceCredentialChange Change,
    [property: Id(1)] DateTimeOffset At);
