namespace ElderIoT.Contracts.Devices;

/// <summary>The event types of device protocol v1 (<c>devices/{id}/events</c>).</summary>
public enum DeviceEventType
{
    /// <summary>The elder pressed the SOS key.</summary>
    Sos,

    /// <summary>The elder cancelled an SOS on the device.</summary>
    SosCancel,

    /// <summary>The device detected a fall.</summary>
    Fall,

    /// <summary>A smoke detector went off.</summary>
    Smoke,

    /// <summary>A gas detector went off.</summary>
    Gas,

    /// <summary>A water leak sensor went off.</summary>
    Water,

    /// <summary>A door contact opened.</summary>
    Door,

    /// <summary>The device reports its battery is low.</summary>
    LowBattery,
}
