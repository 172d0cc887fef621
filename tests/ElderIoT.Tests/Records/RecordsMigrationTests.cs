using ElderIoT.Records;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Tests.Records;

/// <summary>
/// The records schema comes from the migrations of the provider in use, applied when a node starts
/// (docs/migrations.md). These start the records part of a node (AddElderIoTRecords, the same
/// registration the node makes) on a data folder of their own.
/// </summary>
public sealed class RecordsMigrationTests
{
    [Fact]
    public async Task AFreshDataFolderIsMigratedAtStartWithEveryTableAndTheMigrationInItsHistory()
    {
        var dataDirectory = RepoPaths.TempDirectory("migrations-fresh");

        await StartRecordsAsync(dataDirectory);

        var tables = await QueryAsync(dataDirectory, "SELECT name FROM sqlite_master WHERE type = 'table'");
        Assert.All(ModelTables(), table => Assert.Contains(table, tables));
        Assert.Equal(AllMigrations(dataDirectory), await QueryAsync(dataDirectory, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId"));
        Assert.Equal(["wal"], await QueryAsync(dataDirectory, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task ASecondStartAppliesNothingAndKeepsTheRecords()
    {
        var dataDirectory = RepoPaths.TempDirectory("migrations-again");
        await StartRecordsAsync(dataDirectory);
        var elderId = Guid.NewGuid();
        await using (var db = Context(dataDirectory))
        {
            db.Elders.Add(new ElderRecord { Id = elderId, Name = "Ingrid", Address = "Storgatan 1", District = "north", Language = "sv" });
            await db.SaveChangesAsync();
        }

        var logs = new CollectingLoggerProvider();
        await StartRecordsAsync(dataDirectory, logs);

        Assert.Equal(AllMigrations(dataDirectory), await QueryAsync(dataDirectory, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId"));
        await using (var db = Context(dataDirectory))
        {
            Assert.Equal("Ingrid", (await db.Elders.SingleAsync(e => e.Id == elderId)).Name);
        }

        Assert.Contains(logs.Entries, e => e.EventId.Id == 8002 && e.Message.Contains("is up to date", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == 8001);
    }

    [Fact]
    public async Task NodesStartingAtOnceOnOneFreshDatabaseBothStartAndMigrateItOnce()
    {
        var dataDirectory = RepoPaths.TempDirectory("migrations-race");

        await Task.WhenAll(StartRecordsAsync(dataDirectory), StartRecordsAsync(dataDirectory), StartRecordsAsync(dataDirectory));

        Assert.Equal(AllMigrations(dataDirectory), await QueryAsync(dataDirectory, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId"));
    }

    /// <summary>
    /// The same race on PostgreSQL: EF Core locks the history table inside the migration transaction,
    /// so the other nodes wait and then find nothing pending (docs/migrations.md).
    /// </summary>
    [Fact]
    public async Task NodesStartingAtOnceOnOneFreshPostgresDatabaseAllStartAndMigrateItOnce()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartRecordsAsync(RepoPaths.TempDirectory("migrations-pg-race"), connectionString: database.ConnectionString)));

        var options = new DbContextOptionsBuilder<ElderIoTDbContext>();
        options.UsePostgresRecords(database.ConnectionString);
        await using var db = new ElderIoTDbContext(options.Options);
        Assert.Equal(
            db.Database.GetMigrations().Order(StringComparer.Ordinal),
            await db.Database.SqlQueryRaw<string>("SELECT \"MigrationId\" AS \"Value\" FROM \"__EFMigrationsHistory\" ORDER BY 1").ToListAsync());
    }

    /// <summary>
    /// A centre's database has alarms in it when a new version adds columns: every migration must apply
    /// to a table with rows (a NOT NULL text[] column without a default did not, on PostgreSQL).
    /// </summary>
    [Fact]
    public async Task APostgresDatabaseWithAlarmsFromTheFirstVersionUpgradesToTheLatest()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var options = new DbContextOptionsBuilder<ElderIoTDbContext>();
        options.UsePostgresRecords(database.ConnectionString);
        await using var db = new ElderIoTDbContext(options.Options);
        var migrator = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>();
        await migrator.MigrateAsync(db.Database.GetMigrations().First());
        var alarmId = Guid.NewGuid();
        await db.Database.ExecuteSqlAsync($$"""
            INSERT INTO "Alarms" ("Id", "ElderId", "District", "Kind", "Status", "Overdue", "EscalationLevel", "RaisedAt",
                                  "DeviceId", "CancelRequested", "Anomalies", "UpdatedAt")
            VALUES ({{alarmId}}, {{Guid.NewGuid()}}, '南京市/鼓楼区', 'sos', 'raised', false, 0, now(), 'watch-1', false, '{}', now())
            """);

        await migrator.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var alarm = await db.Alarms.SingleAsync(a => a.Id == alarmId);
        Assert.Empty(alarm.Sources);
        Assert.Empty(alarm.Findings);
    }

    [Fact]
    public async Task ADatabaseMadeByEnsureCreatedIsRefusedAtStartNamingTheFileAndWhatToDoAndLeftUntouched()
    {
        var dataDirectory = RepoPaths.TempDirectory("migrations-legacy");
        var elderId = Guid.NewGuid();
        await using (var db = Context(dataDirectory))
        {
            // Exactly what every node did before migrations.
            await db.Database.EnsureCreatedAsync();
            db.Elders.Add(new ElderRecord { Id = elderId, Name = "Ingrid", Address = "Storgatan 1", District = "north", Language = "sv" });
            await db.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<RecordsSchemaException>(() => StartRecordsAsync(dataDirectory));

        Assert.Contains(DatabaseFile(dataDirectory), refused.Message);
        Assert.Contains($"delete the data folder {dataDirectory}", refused.Message);
        Assert.Contains("docs/migrations.md", refused.Message);
        Assert.DoesNotContain("__EFMigrationsHistory", await QueryAsync(dataDirectory, "SELECT name FROM sqlite_master WHERE type = 'table'"));
        await using (var db = Context(dataDirectory))
        {
            Assert.True(await db.Elders.AnyAsync(e => e.Id == elderId));
        }
    }

    [Fact]
    public async Task TheNodeOnAnEnsureCreatedDataFolderExitsSayingWhichFileAndWhatToDo()
    {
        var dataDirectory = RepoPaths.TempDirectory("migrations-legacy-node");
        await using (var db = Context(dataDirectory))
        {
            await db.Database.EnsureCreatedAsync();
        }

        await using var node = NodeProcess.Start(dataDirectory: dataDirectory);

        Assert.True(await node.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)), node.Output);
        Assert.NotEqual(0, node.Process.ExitCode);
        Assert.Contains($"The records database {DatabaseFile(dataDirectory)} was created before ElderIoT used migrations", node.Output);
        Assert.Contains($"delete the data folder {dataDirectory}", node.Output);
    }

    /// <summary>
    /// A model change without a migration fails here, for each provider, before any node refuses to
    /// start on it (EF Core 9 and later throw at Migrate when the model is ahead of the migrations).
    /// The PostgreSQL model is built from the connection string alone; no server is needed.
    /// </summary>
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void EveryModelChangeIsCapturedInAMigrationForEachProvider(string provider)
    {
        var options = new DbContextOptionsBuilder<ElderIoTDbContext>();
        if (provider == "Sqlite")
        {
            options.UseSqliteRecords(Path.Combine(RepoPaths.TempDirectory("migrations-model"), RecordsProviders.SqliteFileName));
        }
        else
        {
            options.UsePostgresRecords("Host=127.0.0.1;Port=1;Database=elderiot_model_check");
        }

        using var db = new ElderIoTDbContext(options.Options);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The records model has changes no {provider} migration captures: run `bash scripts/add-migration.sh NAME` (docs/migrations.md).");
    }

    private static async Task StartRecordsAsync(string dataDirectory, CollectingLoggerProvider? logs = null, string? connectionString = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Storage:DataDirectory"] = dataDirectory;
        builder.Configuration[TestRecords.ConnectionStringKey] = connectionString;
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.AddElderIoTRecords();
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }

    private static string DatabaseFile(string dataDirectory) => Path.Combine(dataDirectory, RecordsProviders.SqliteFileName);

    private static ElderIoTDbContext Context(string dataDirectory) =>
        new(new DbContextOptionsBuilder<ElderIoTDbContext>().UseSqlite($"Data Source={DatabaseFile(dataDirectory)}", s => s.MigrationsAssembly(RecordsProviders.SqliteMigrationsAssembly)).Options);

    private static List<string> AllMigrations(string dataDirectory)
    {
        using var db = Context(dataDirectory);
        return [.. db.Database.GetMigrations().Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> ModelTables()
    {
        using var db = Context(RepoPaths.TempDirectory("migrations-model"));
        return [.. db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>()];
    }

    private static async Task<List<string>> QueryAsync(string dataDirectory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile(dataDirectory)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
