using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ElderIoT.Tests.Cluster;

/// <summary>
/// The shared PostgreSQL and Redis of scripts/test-servers.sh, as one test uses them: a database of its
/// own (elderiot_&lt;guid&gt;, dropped at the end) and a cluster id of its own, which is its key prefix
/// in Redis. Nothing of another test's is touched.
/// </summary>
internal sealed class ClusterServers : IAsyncDisposable
{
    public static readonly string PostgresServer =
        Environment.GetEnvironmentVariable("ELDERIOT_TEST_PG") ?? "Host=127.0.0.1;Port=54329;Username=postgres";

    public static readonly string Redis = Environment.GetEnvironmentVariable("ELDERIOT_TEST_REDIS") ?? "127.0.0.1:63799";

    private ClusterServers(string database, string clusterId)
    {
        Database = database;
        ClusterId = clusterId;
        Records = $"{PostgresServer};Database={database}";
    }

    /// <summary>This test's database.</summary>
    public string Database { get; }

    /// <summary>This test's cluster (and service) id: its membership table in Redis.</summary>
    public string ClusterId { get; }

    /// <summary>The records' connection string (ConnectionStrings:ElderIoT).</summary>
    public string Records { get; }

    public static async Task<ClusterServers> CreateAsync()
    {
        var id = Guid.NewGuid().ToString("N");
        var servers = new ClusterServers($"elderiot_{id}", $"test-{id}");
        await using var connection = new NpgsqlConnection($"{PostgresServer};Database=postgres");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{servers.Database}\"", connection);
        await create.ExecuteNonQueryAsync();
        return servers;
    }

    /// <summary>The settings that put a node on these servers, in this test's cluster.</summary>
    public IEnumerable<string> NodeSettings() =>
    [
        "--ConnectionStrings:ElderIoT", Records,
        "--ConnectionStrings:Redis", Redis,
        "--Orleans:MembershipStore", "Redis",
        "--Orleans:ClusterId", ClusterId,
        "--Orleans:ServiceId", ClusterId,
    ];

    /// <summary>A context on this test's records, to count what was stored.</summary>
    public ElderIoTDbContext OpenRecords() =>
        new((DbContextOptions<ElderIoTDbContext>)new DbContextOptionsBuilder<ElderIoTDbContext>().UsePostgresRecords(Records).Options);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection($"{PostgresServer};Database=postgres");
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();

        // The membership table: its key names the cluster id.
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis);
        foreach (var server in redis.GetServers())
        {
            await foreach (var key in server.KeysAsync(pattern: $"*{ClusterId}*"))
            {
                await redis.GetDatabase().KeyDeleteAsync(key);
            }
        }
    }
}
