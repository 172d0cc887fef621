namespace ElderIoT.Contracts.Devices;

/// <summary>
/// The device gateway of one node, keyed by that node's silo address and always activated on it: the
/// way a device grain on any node reaches the broker that holds its device's MQTT connection.
/// </summary>
public interface IGatewayNodeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Publishes the command through this node's broker when the device is connected here and subscribed
    /// to its commands topic; false, publishing nothing, when it is not.
    /// </summary>
    Task<bool> TrySendAsync(string deviceId, string jsonCommand);
}
