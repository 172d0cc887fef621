namespace ElderIoT.Contracts.Devices;

/// <summary>The answer to a device's connect credentials.</summary>
public enum DeviceAuthResult
{
    /// <summary>Known device, right secret.</summary>
    Accepted,

    /// <summary>No device is registered under that id.</summary>
    UnknownDevice,

    /// <summary>The device exists, the secret is wrong.</summary>
    BadSecret,

    /// <summary>The device is registered but disabled.</summary>
    Disabled,
}
