namespace ElderIoT.Contracts.Devices;

/// <summary>Sends a command down to a device on <c>devices/{id}/commands</c>; the device gateway implements it.</summary>
public interface IDeviceCommandSender
{
    /// <summary>Publishes a JSON command at QoS 1; a connected, subscribed device receives it.</summary>
    Task SendAsync(string deviceId, string jsonCommand, CancellationToken cancellationToken);
}
