namespace ElderIoT.Contracts.Devices;

/// <summary>A device id can be registered once.</summary>
[GenerateSerializer]
public sealed class DeviceAlreadyRegisteredException(string deviceId)
    : InvalidOperationException($"Device '{deviceId}' is already registered.");
