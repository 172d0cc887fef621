using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Cluster;

/// <summary>A node told to join a cluster that it cannot join says why in one line and exits 1, before it listens.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class ClusterStartTests
{
    [Fact]
    public async Task ANodeWhoseRedisDoesNotAnswerAtStartExitsNamingRedis()
    {
        await using var servers = await ClusterServers.CreateAsync();
        var closed = FreePort.Next();
        await using var node = NodeProcess.Start(dataDirectory: RepoPaths.TempDirectory("cluster-no-redis"), settings:
        [
            .. servers.NodeSettings(),
            "--ConnectionStrings:Redis", $"127.0.0.1:{closed},connectTimeout=2000",
        ]);

        Assert.True(await node.Process.WaitForExitAsync(TimeSpan.FromSeconds(90)), node.Output);
        Assert.Equal(1, node.Process.ExitCode);
        Assert.Contains($"Redis at 127.0.0.1:{closed} (ConnectionStrings:Redis), the cluster's membership table, does not answer", node.Output);
        Assert.DoesNotContain("ElderIoT node ready", node.Output);
    }

    [Theory]
    [InlineData("ConnectionStrings:Redis", "ConnectionStrings:Redis is not set")]
    [InlineData("ConnectionStrings:ElderIoT", "the nodes of a cluster share their records on PostgreSQL")]
    public async Task ANodeOnRedisClusteringWithoutASharedServerRefusesToStart(string missing, string said)
    {
        string[] settings = ["--Orleans:MembershipStore", "Redis", "--ConnectionStrings:Redis", ClusterServers.Redis, "--ConnectionStrings:ElderIoT", "Host=127.0.0.1"];
        var index = Array.IndexOf(settings, $"--{missing}");
        await using var node = NodeProcess.Start(dataDirectory: RepoPaths.TempDirectory("cluster-config"), settings: [.. settings[..index], .. settings[(index + 2)..]]);

        Assert.True(await node.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)), node.Output);
        Assert.Equal(1, node.Process.ExitCode);
        Assert.Contains(said, node.Output);
    }
}
