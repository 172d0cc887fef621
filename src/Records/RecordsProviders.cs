using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Records;

/// <summary>
/// The one place that says how each database provider is configured for the records, used by the
/// node at run time and by the design-time factories that <c>dotnet ef</c> calls, so a migration is
/// generated against exactly the model the node runs.
/// </summary>
/// <remarks>
/// EF Core migrations are provider-specific (column types, identity, index syntax), and one context
/// type can only have several migration sets when each lives in its own assembly. So each provider
/// has its own migrations project beside this one, chosen here by name; the node references both.
/// </remarks>
public static class RecordsProviders
{
    /// <summary>The SQLite migrations (src/Records.Migrations.Sqlite).</summary>
    public const string SqliteMigrationsAssembly = "ElderIoT.Records.Migrations.Sqlite";

    /// <summary>The PostgreSQL migrations (src/Records.Migrations.Postgres).</summary>
    public const string PostgresMigrationsAssembly = "ElderIoT.Records.Migrations.Postgres";

    /// <summary>The SQLite file's name inside <c>Storage:DataDirectory</c>.</summary>
    public const string SqliteFileName = "elderiot.db";

    /// <summary>Records in the SQLite file <paramref name="databaseFile"/>, migrated by the SQLite migration set.</summary>
    public static DbContextOptionsBuilder UseSqliteRecords(this DbContextOptionsBuilder options, string databaseFile) =>
        options.UseSqlite($"Data Source={databaseFile}", sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));

    /// <summary>Records in PostgreSQL, migrated by the PostgreSQL migration set.</summary>
    public static DbContextOptionsBuilder UsePostgresRecords(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly));
}
