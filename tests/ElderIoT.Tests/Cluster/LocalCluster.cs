using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Cluster;

/// <summary>
/// N real node processes on one machine, each on its own ports, sharing this test's PostgreSQL database
/// and Redis membership table: a cluster as scripts/run-cluster.sh starts one.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>
    /// Orleans' failure detector, quickened so that a killed node is declared dead in seconds rather
    /// than the production half-minute; everything else is as in production.
    /// </summary>
    private static readonly string[] QuickFailureDetection =
    [
        "--Orleans:FailureDetection:ProbeTimeout", "00:00:01",
        "--Orleans:FailureDetection:NumMissedProbesLimit", "2",
        "--Orleans:FailureDetection:TableRefreshTimeout", "00:00:02",
    ];

    private LocalCluster(ClusterServers servers, List<NodeProcess> nodes)
    {
        Servers = servers;
        Nodes = nodes;
    }

    public ClusterServers Servers { get; }

    public List<NodeProcess> Nodes { get; }

    public static async Task<LocalCluster> StartAsync(int nodes, params string[] settings)
    {
        var servers = await ClusterServers.CreateAsync();
        var started = Enumerable.Range(0, nodes)
            .Select(_ => NodeProcess.Start(dataDirectory: RepoPaths.TempDirectory("cluster-node"), settings: [.. servers.NodeSettings(), .. QuickFailureDetection, .. settings]))
            .ToList();
        var cluster = new LocalCluster(servers, started);
        try
        {
            await Task.WhenAll(started.Select(n => n.WaitReadyAsync()));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>What every node printed, for a failing assertion.</summary>
    public string Output => string.Join("\n", Nodes.Select((n, i) => $"----- node {i + 1} -----\n{n.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        await Servers.DisposeAsync();
    }
}
