using ElderIoT.Contracts.Devices;
using ElderIoT.Grains.Infrastructure;
using Orleans.Concurrency;
using Orleans.Placement;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// One node's device gateway as a grain, pinned to its node (<see cref="NodePinnedPlacement"/>): it
/// hands a command to the broker of the process it runs in. Stateless, and interleaving: a slow
/// publish to one device does not hold up another's.
/// </summary>
[NodePinnedPlacement]
[Reentrant]
[Immovable]
internal sealed class GatewayNodeGrain(IDeviceCommandSender? localBroker = null) : Grain, IGatewayNodeGrain
{
    public async Task<bool> TrySendAsync(string deviceId, string jsonCommand) =>
        localBroker is not null && await localBroker.TrySendAsync(deviceId, jsonCommand, CancellationToken.None);
}
