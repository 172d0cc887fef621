using System.Net;

namespace ElderIoT.Silo;

/// <summary>The silo of this node (section <c>Orleans</c>).</summary>
public sealed class OrleansHostingOptions
{
    public const string SectionName = "Orleans";

    /// <summary>The connection string (<c>ConnectionStrings:Redis</c>) of the cluster's membership table.</summary>
    public const string RedisConnectionName = "Redis";

    /// <summary>Orleans' own failure-detection settings (<c>ClusterMembershipOptions</c>), bound as they are.</summary>
    public const string FailureDetectionSectionName = SectionName + ":FailureDetection";

    /// <summary>How this node finds the other nodes of its cluster.</summary>
    public NodeClustering MembershipStore { get; set; } = NodeClustering.Localhost;

    /// <summary>Cluster id; nodes with the same id and membership store form one cluster.</summary>
    public string ClusterId { get; set; } = "elderiot";

    /// <summary>Service id; stays the same across deployments.</summary>
    public string ServiceId { get; set; } = "elderiot";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// With Redis clustering: the address the silo listens on and the other nodes call it at. Loopback
    /// by default (several nodes on one machine); a node on a machine of its own gives its own address.
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The address the silo and gateway ports listen on.</summary>
    public IPAddress ListenAddress => MembershipStore == NodeClustering.Redis ? IPAddress.Parse(AdvertisedAddress) : IPAddress.Loopback;

    /// <summary>The section as configured, or the defaults.</summary>
    public static OrleansHostingOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<OrleansHostingOptions>() ?? new();

    /// <summary>What is wrong with these settings, one sentence each; empty when the node can start.</summary>
    public IEnumerable<string> Problems(IConfiguration configuration)
    {
        if (MembershipStore == NodeClustering.Redis)
        {
            if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(RedisConnectionName)))
            {
                yield return "Orleans:MembershipStore is Redis but ConnectionStrings:Redis is not set (for example 127.0.0.1:6379)";
            }

            // Each node's SQLite file would be records of its own: an alarm raised on one node would be
            // unknown to the node a seat accepts it on.
            if (string.IsNullOrWhiteSpace(configuration.GetConnectionString("ElderIoT")))
            {
                yield return "Orleans:MembershipStore is Redis but ConnectionStrings:ElderIoT is not set: the nodes of a cluster share their records on PostgreSQL";
            }

            if (!IPAddress.TryParse(AdvertisedAddress, out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                yield return $"Orleans:AdvertisedAddress '{AdvertisedAddress}' must be this node's own IP address, one the other nodes can reach";
            }
        }
    }
}

/// <summary>How a node finds the other nodes of its cluster.</summary>
public enum NodeClustering
{
    /// <summary>One node alone (the embedded default): no membership store, nothing else to run.</summary>
    Localhost,

    /// <summary>Nodes share a membership table in Redis (<c>ConnectionStrings:Redis</c>); records are then on PostgreSQL.</summary>
    Redis,
}
