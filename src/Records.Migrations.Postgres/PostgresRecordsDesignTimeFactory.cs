using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ElderIoT.Records.Migrations.Postgres;

/// <summary>
/// What <c>dotnet ef</c> uses to build the model for the PostgreSQL migrations. Adding a migration
/// needs no server: the connection string is only parsed.
/// </summary>
internal sealed class PostgresRecordsDesignTimeFactory : IDesignTimeDbContextFactory<ElderIoTDbContext>
{
    public ElderIoTDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ElderIoTDbContext>();
        options.UsePostgresRecords("Host=localhost;Database=elderiot_design_time");
        return new ElderIoTDbContext(options.Options);
    }
}
