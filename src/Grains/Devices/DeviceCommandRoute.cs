using ElderIoT.Contracts.Devices;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// Where one device's commands go out: the broker of the node that holds its MQTT connection, which
/// need not be the node its device grain runs on. The gateway of that node says so when the device's
/// commands channel opens there. A grain that does not know (it came back on another node after its
/// own died, while the device stayed connected elsewhere) asks every active node once.
/// </summary>
internal sealed partial class DeviceCommandRoute(IGrainFactory grains, IClusterMembershipService membership, ILogger logger) : IDeviceCommandSender
{
    private string? _node;

    /// <summary>The device's commands channel is open on this node (its silo address).</summary>
    public void OpenedOn(string gatewayNode) => _node = gatewayNode;

    public async Task<bool> TrySendAsync(string deviceId, string jsonCommand, CancellationToken cancellationToken)
    {
        if (_node is { } node)
        {
            // The device left that node, or is not subscribed: it stays pending until its channel opens again.
            return await TrySendThroughAsync(node, deviceId, jsonCommand);
        }

        foreach (var active in membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active))
        {
            var candidate = active.SiloAddress.ToParsableString();
            if (await TrySendThroughAsync(candidate, deviceId, jsonCommand))
            {
                _node = candidate;
                return true;
            }
        }

        return false;
    }

    private async Task<bool> TrySendThroughAsync(string node, string deviceId, string jsonCommand)
    {
        try
        {
            return await grains.GetGrain<IGatewayNodeGrain>(node).TrySendAsync(deviceId, jsonCommand);
        }
        catch (Exception exception)
        {
            // That node died or is leaving: the command stays pending, and goes out where the device reconnects.
            if (_node == node)
            {
                _node = null;
            }

            LogNodeUnreachable(exception, deviceId, node);
            return false;
        }
    }

    [LoggerMessage(3105, LogLevel.Warning, "Device {DeviceId}: the node {Node} that held its connection cannot be reached; its commands stay pending")]
    private partial void LogNodeUnreachable(Exception exception, string deviceId, string node);
}
