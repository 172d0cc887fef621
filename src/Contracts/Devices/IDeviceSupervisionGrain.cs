namespace ElderIoT.Contracts.Devices;

/// <summary>The supervision side of a device (implemented by the device grain): told by the outage detector what its silence came to.</summary>
public interface IDeviceSupervisionGrain : IGrainWithStringKey
{
    /// <summary>
    /// The sweep found the device silent. Checked against the grain's live state (the records lag by
    /// seconds); when still silent and <paramref name="raise"/>, marks it silent and raises device_silent.
    /// Returns whether it was still silent.
    /// </summary>
    Task<bool> GoneSilentAsync(bool raise);

    /// <summary>Sets the device's own expected reporting interval (null: its kind's) and returns its status.</summary>
    Task<DeviceStatus?> SetReportEveryAsync(TimeSpan? reportEvery);
}
