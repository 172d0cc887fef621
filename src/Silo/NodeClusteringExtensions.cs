using Orleans.Configuration;
using StackExchange.Redis;

namespace ElderIoT.Silo;

/// <summary>How the silo joins its cluster, chosen by <c>Orleans:MembershipStore</c>.</summary>
public static class NodeClusteringExtensions
{
    /// <summary>The silo could not start because Redis, its membership table, did not answer.</summary>
    public static bool IsMembershipStoreUnreachable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is RedisException || e is Orleans.Clustering.Redis.RedisClusteringException)
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsMembershipStoreUnreachable))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One line naming Redis and the setting, instead of the stack traces above it. Written to standard
    /// error by the caller: the host has already disposed its loggers when its start fails.
    /// </summary>
    public static string DescribeMembershipStoreUnreachable(IConfiguration configuration, Exception exception)
    {
        var redis = ConfigurationOptions.Parse(configuration.GetConnectionString(OrleansHostingOptions.RedisConnectionName) ?? "");
        return $"crit: Redis at {string.Join(", ", redis.EndPoints.Select(EndPointText))} (ConnectionStrings:Redis), the cluster's membership table, does not answer " +
            $"({exception.GetBaseException().GetType().Name}). The node cannot join its cluster and does not start; start Redis, then the node again (systemd does).";
    }

    private static string EndPointText(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? "",
    };

    /// <summary>
    /// Localhost clustering (one node, nothing to run beside it) unless <c>Orleans:MembershipStore</c> is
    /// <c>Redis</c>: then the membership table is in Redis and the silo listens on its advertised address.
    /// Settings that cannot work stop the node here, before anything listens, with what to set.
    /// </summary>
    public static ISiloBuilder UseNodeClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var orleans = OrleansHostingOptions.From(configuration);
        if (orleans.Problems(configuration).ToList() is { Count: > 0 } problems)
        {
            throw new NodeConfigurationException(string.Join("; ", problems));
        }

        // Orleans' failure detector as configured (ProbeTimeout, NumMissedProbesLimit, ...): how long a
        // killed node's grains wait before they come back on another node.
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection(OrleansHostingOptions.FailureDetectionSectionName));
        if (orleans.MembershipStore == NodeClustering.Localhost)
        {
            return silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
        }

        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = orleans.ClusterId;
            cluster.ServiceId = orleans.ServiceId;
        });
        silo.ConfigureEndpoints(orleans.ListenAddress, orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: false);
        return silo.UseRedisClustering(redis =>
        {
            redis.ConfigurationOptions = ConfigurationOptions.Parse(configuration.GetConnectionString(OrleansHostingOptions.RedisConnectionName)!);
        });
    }
}

/// <summary>The node's settings cannot work; the message says which and what to set.</summary>
public sealed class NodeConfigurationException(string message) : Exception(message);
