namespace ElderIoT.Contracts.Devices;

/// <summary>
/// Publishes a command down to a device on <c>devices/{id}/commands</c>; the device gateway implements
/// it. Only the device's outbox (its device grain) calls it, so that every command is kept until the
/// device acknowledges it or it expires.
/// </summary>
public interface IDeviceCommandSender
{
    /// <summary>
    /// Publishes the JSON command at QoS 1 when the device is connected to this node and subscribed to its
    /// commands topic; returns false, publishing nothing, when it is not.
    /// </summary>
    Task<bool> TrySendAsync(string deviceId, string jsonCommand, CancellationToken cancellationToken);
}
