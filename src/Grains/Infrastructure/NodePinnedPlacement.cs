using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace ElderIoT.Grains.Infrastructure;

/// <summary>
/// A grain whose key is a silo address (<see cref="SiloAddress.ToParsableString"/>) lives on that
/// silo and nowhere else: how a grain on any node reaches one particular node's own services (its
/// MQTT broker). While that silo is not an active member, activating it fails, and the caller learns
/// that the node is gone instead of being answered by another node that holds nothing of it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class NodePinnedPlacement : PlacementStrategy
{
    internal static readonly NodePinnedPlacement Instance = new();
}

/// <summary>Places a grain with <see cref="NodePinnedPlacement"/> on the silo its key names.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodePinnedPlacementAttribute() : PlacementAttribute(NodePinnedPlacement.Instance);

/// <summary>The director of <see cref="NodePinnedPlacement"/>.</summary>
internal sealed class NodePinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var node = SiloAddress.FromParsableString(key);
        return context.GetCompatibleSilos(target).Contains(node)
            ? Task.FromResult(node)
            : throw new SiloUnavailableException($"Node {key} is not an active member of the cluster.");
    }
}
