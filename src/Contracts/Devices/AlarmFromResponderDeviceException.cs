namespace ElderIoT.Contracts.Devices;

/// <summary>
/// A responder's own device (a tracker registered to community staff, not to an elder) sent an
/// alarm-raising event. There is no elder to raise it for, and acknowledging it would tell the
/// device that someone was told: the gateway refuses it out loud instead.
/// </summary>
[GenerateSerializer]
public sealed class AlarmFromResponderDeviceException(string deviceId, DeviceEventType type)
    : InvalidOperationException($"Device '{deviceId}' belongs to a responder, not to an elder; its '{type}' cannot raise an alarm.");
