using ElderIoT.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ElderIoT.Records;

/// <summary>Composes the records database.</summary>
public static class RecordsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ElderIoTDbContext"/> through a pooled factory: PostgreSQL when
    /// <c>ConnectionStrings:ElderIoT</c> is set, otherwise a SQLite file in <c>Storage:DataDirectory</c>.
    /// The schema is brought up to date by migrations at start, before the silo takes any call.
    /// </summary>
    public static IServiceCollection AddElderIoTRecords(this IServiceCollection services)
    {
        services.AddOptions<RecordsOptions>().BindConfiguration(RecordsOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "Storage:DataDirectory must not be empty.")
            .ValidateOnStart();

        services.AddPooledDbContextFactory<ElderIoTDbContext>((provider, options) =>
        {
            var connectionString = provider.GetRequiredService<IConfiguration>().GetConnectionString("ElderIoT");
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                options.UsePostgresRecords(connectionString);
                return;
            }

            var dataDirectory = Path.GetFullPath(provider.GetRequiredService<IOptions<RecordsOptions>>().Value.DataDirectory);
            PrivateFiles.CreateDirectory(dataDirectory);
            var databaseFile = Path.Combine(dataDirectory, RecordsProviders.SqliteFileName);
            PrivateFiles.PrepareDatabaseFile(databaseFile);
            options.UseSqliteRecords(databaseFile)
                .AddInterceptors(new SqliteBusyTimeout(TimeSpan.FromSeconds(30)), new SqliteReadOnlyRecovery());
        });

        services.AddHostedService<RecordsSchemaMigrator>();
        return services;
    }
}
