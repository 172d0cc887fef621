using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ElderIoT.Records.Migrations.Sqlite;

/// <summary>
/// What <c>dotnet ef</c> uses to build the model for the SQLite migrations. It never opens the file
/// when adding a migration; a throwaway name keeps a stray <c>database update</c> away from real data.
/// </summary>
internal sealed class SqliteRecordsDesignTimeFactory : IDesignTimeDbContextFactory<ElderIoTDbContext>
{
    public ElderIoTDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ElderIoTDbContext>();
        options.UseSqliteRecords("design-time.db");
        return new ElderIoTDbContext(options.Options);
    }
}
