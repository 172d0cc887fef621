using System.Collections.Concurrent;
using Npgsql;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// Which records provider the relational tests run on. The suite runs once on SQLite (the default),
/// then scripts/test.sh runs the classes marked <c>[Trait(TestRecords.Trait, TestRecords.Relational)]</c>
/// again with <c>ELDERIOT_TEST_RECORDS=postgres</c>: every node and cluster those classes start then
/// keeps its records in a PostgreSQL database of its own on the test server (scripts/test-servers.sh).
/// </summary>
/// <remarks>
/// An environment variable and a second run rather than a theory over the provider in every test: the
/// tests stay as they read, the fixtures (one node per collection) are started once per provider, and
/// a filter run by hand reproduces either side (<c>ELDERIOT_TEST_RECORDS=postgres dotnet test --filter Records=Relational</c>).
/// </remarks>
public static class TestRecords
{
    /// <summary>The trait that marks a class whose tests touch the records and so run on both providers.</summary>
    public const string Trait = "Records";

    /// <summary>The trait's value.</summary>
    public const string Relational = "Relational";

    /// <summary>The connection string key the node reads (src/Records).</summary>
    public const string ConnectionStringKey = "ConnectionStrings:ElderIoT";

    private static readonly ConcurrentDictionary<string, Lazy<Task<PostgresTestDatabase>>> ByDataDirectory = new(StringComparer.Ordinal);

    static TestRecords() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        // Databases kept for a node restarted on the same data folder are dropped when the run ends.
        foreach (var database in ByDataDirectory.Values.Where(d => d.IsValueCreated && d.Value.IsCompletedSuccessfully))
        {
            database.Value.Result.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    };

    /// <summary>True when this run keeps records in PostgreSQL.</summary>
    public static bool OnPostgres { get; } =
        string.Equals(Environment.GetEnvironmentVariable("ELDERIOT_TEST_RECORDS"), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The PostgreSQL database of a data folder: the same one for every node started on that folder
    /// (a restart finds its records), dropped when the test run ends.
    /// </summary>
    public static Task<PostgresTestDatabase> DatabaseForAsync(string dataDirectory) =>
        ByDataDirectory.GetOrAdd(dataDirectory, _ => new(() => PostgresTestDatabase.CreateAsync())).Value;
}

/// <summary>
/// A database of its own on the shared test server (127.0.0.1:54329 unless ELDERIOT_TEST_PG_PORT says
/// otherwise), named elderiot_&lt;guid&gt;, dropped on dispose. Never touches another test's database.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly string _server;
    private int _disposed;

    private PostgresTestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>The shared test server, as scripts/test-servers.sh starts it.</summary>
    public static string SharedServer { get; } =
        $"Host=127.0.0.1;Port={Environment.GetEnvironmentVariable("ELDERIOT_TEST_PG_PORT") ?? "54329"};Username=postgres";

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Creates an empty database on <paramref name="server"/> (the shared test server by default).</summary>
    public static async Task<PostgresTestDatabase> CreateAsync(string? server = null)
    {
        var database = new PostgresTestDatabase(server ?? SharedServer, $"elderiot_{Guid.NewGuid():N}");
        await using var connection = new NpgsqlConnection(database._server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        try
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The server is gone (a throwaway one, stopped by its test): nothing is left to drop.
        }
    }
}
