namespace ElderIoT.Contracts.Devices;

/// <summary>What kind of device an elder carries or has at home.</summary>
public enum DeviceKind
{
    /// <summary>A smart watch or band: GPS, heart rate, SpO2, fall detection, SOS.</summary>
    Watch,

    /// <summary>A one-key SOS handset (一键通), usually with GPS.</summary>
    Handset,

    /// <summary>A home sensor: smoke, gas, water, door, radar fall detector, wall SOS button.</summary>
    Sensor,
}
