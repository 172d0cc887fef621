using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace ElderIoT.Records;

/// <summary>
/// Creates the schema when the database is new. Registered before the silo so that no grain runs
/// against a missing table.
/// </summary>
internal sealed class RecordsSchemaInitializer(IDbContextFactory<ElderIoTDbContext> contexts) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.EnsureCreatedAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the API read while grains write; the setting is stored in the file itself.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
