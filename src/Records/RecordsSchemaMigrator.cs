using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Records;

/// <summary>
/// Brings the records schema up to date with the migrations of the provider in use, before the node
/// serves: registered before the silo, so no grain runs against a missing table or column. The same
/// for SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// Several nodes may start at once against one database: EF Core (9 and later) holds a database lock
/// while it applies migrations and creates the history table before any of them, so the second node
/// waits and then finds nothing pending. A database made by the old <c>EnsureCreated</c> has the tables
/// but no history, and migrating it would try to create them again; the node refuses to start and
/// says what to do (<see cref="RecordsSchemaException"/>) rather than guess which schema it holds.
/// </remarks>
internal sealed partial class RecordsSchemaMigrator(IDbContextFactory<ElderIoTDbContext> contexts, ILogger<RecordsSchemaMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var database = DescribeDatabase(db);
        var postgres = !db.Database.IsSqlite();
        if (postgres)
        {
            // Nodes of a cluster start at once on one database. EF Core's lock lasts one migration's
            // transaction, so with several pending a second node ran the next one again ("column already
            // exists"). One session-level advisory lock around the whole upgrade: the others wait, then
            // find nothing pending.
            await EnsureDatabaseExistsAsync(db, cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(TakeMigrationLock, cancellationToken);
        }

        try
        {
            await MigrateAsync(db, database, cancellationToken);
        }
        finally
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync(ReleaseMigrationLock, CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    // The advisory lock every ElderIoT node takes to upgrade a PostgreSQL records database ("EIOT" in ASCII).
    private const string TakeMigrationLock = "SELECT pg_advisory_lock(1162432340)";
    private const string ReleaseMigrationLock = "SELECT pg_advisory_unlock(1162432340)";

    /// <summary>A lock needs a connection, and a connection a database: made here when missing, as Migrate would.</summary>
    private static async Task EnsureDatabaseExistsAsync(ElderIoTDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException)
        {
            // Another node made it first; anything else fails the next step with its own words.
            if (!await creator.ExistsAsync(cancellationToken))
            {
                throw;
            }
        }
    }

    private async Task MigrateAsync(ElderIoTDbContext db, string database, CancellationToken cancellationToken)
    {
        try
        {
            await RefuseSchemaWithoutHistoryAsync(db, database, cancellationToken);
        }
        catch (RecordsSchemaException refused)
        {
            LogRefused(logger, refused.Message);
            throw;
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (pending.Count > 0)
        {
            LogMigrated(logger, pending.Count, string.Join(", ", pending), database);
        }
        else
        {
            LogUpToDate(logger, database, (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault() ?? "none");
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets the API read while grains write; the setting is stored in the file itself.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Tables of the model but no migrations history: a database made by <c>EnsureCreated</c> before
    /// ElderIoT used migrations. EF creates the history table before any migration runs, so a node
    /// that is migrating the same database at this moment never looks like this.
    /// </summary>
    private static async Task RefuseSchemaWithoutHistoryAsync(ElderIoTDbContext db, string database, CancellationToken cancellationToken)
    {
        if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken)
            || await db.GetService<IHistoryRepository>().ExistsAsync(cancellationToken))
        {
            return;
        }

        var modelTables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var found = (await db.Database.SqlQueryRaw<string>(ExistingTablesSql(db)).ToListAsync(cancellationToken))
            .Where(modelTables.Contains).Order(StringComparer.Ordinal).ToList();
        if (found.Count == 0)
        {
            return;
        }

        throw new RecordsSchemaException(db.Database.IsSqlite()
            ? $"The records database {database} was created before ElderIoT used migrations: it holds the tables " +
              $"{string.Join(", ", found)} but no {HistoryRepository.DefaultTableName} table, so the node cannot tell which schema it has " +
              $"and will not change it. No ElderIoT release has production data from that time: stop every node, delete the data folder " +
              $"{Path.GetDirectoryName(database)} once (or move it aside to keep it), and start again; migrations then create the schema. See docs/migrations.md."
            : $"The records database {database} was created before ElderIoT used migrations: it holds the tables " +
              $"{string.Join(", ", found)} but no {HistoryRepository.DefaultTableName} table, so the node cannot tell which schema it has " +
              $"and will not change it. No ElderIoT release has production data from that time: stop every node, drop that database " +
              $"(or its ElderIoT tables) once, and start again; migrations then create the schema. See docs/migrations.md.");
    }

    /// <summary>The names of the tables that exist, as one column named Value (what SqlQueryRaw of a scalar expects).</summary>
    private static string ExistingTablesSql(ElderIoTDbContext db) => db.Database.IsSqlite()
        ? "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'"
        : "SELECT table_name::text AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema()";

    /// <summary>The SQLite file, or the PostgreSQL database and server (never the connection string: it may hold a password).</summary>
    private static string DescribeDatabase(ElderIoTDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        return db.Database.IsSqlite()
            ? Path.GetFullPath(connection.DataSource)
            : $"\"{connection.Database}\" on {connection.DataSource}";
    }

    [LoggerMessage(8001, LogLevel.Information, "Records schema: applied {Count} migration(s) ({Migrations}) to {Database}")]
    private static partial void LogMigrated(ILogger logger, int count, string migrations, string database);

    [LoggerMessage(8003, LogLevel.Critical, "{Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(8002, LogLevel.Information, "Records schema: {Database} is up to date (last migration {Migration})")]
    private static partial void LogUpToDate(ILogger logger, string database, string migration);
}

/// <summary>The records database is in a state the node will not migrate; the message says which database and what to do.</summary>
public sealed class RecordsSchemaException(string message) : InvalidOperationException(message);
