namespace ElderIoT.Contracts.Devices;

/// <summary>
/// The gateway of the node a device is connected to, as its device grain sees it: handed over with every
/// login, so that a grain on any node can end the device's live session when its credentials change.
/// </summary>
public interface IDeviceSessionObserver : IGrainObserver
{
    /// <summary>Ends the device's MQTT session, if it is connected here; it must log in again.</summary>
    Task EndSessionAsync(string deviceId, DeviceCredentialChange because);
}
