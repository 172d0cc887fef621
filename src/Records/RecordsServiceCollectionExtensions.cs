using ElderIoT.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
    /// The alarm path takes <see cref="AlarmRecords"/> instead: on PostgreSQL a pool of its own.
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

        services.AddOptions<AlarmLaneOptions>().BindConfiguration(AlarmLaneOptions.SectionName)
            .Validate(o => o.AlarmLanePoolSize is >= 1 and <= 1000, "Records:AlarmLanePoolSize must be 1..1000.")
            .ValidateOnStart();
        services.AddSingleton<AlarmLaneMetrics>();
        services.AddSingleton(provider =>
        {
            var main = provider.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();
            var connectionString = provider.GetRequiredService<IConfiguration>().GetConnectionString("ElderIoT");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                return new AlarmRecords(main); // SQLite: one file, one writer; see AlarmRecords.
            }

            var poolSize = provider.GetRequiredService<IOptions<AlarmLaneOptions>>().Value.AlarmLanePoolSize;
            // The same records as the main factory, configured the same way (whatever else configures
            // the context applies to both), then only the connection string differs: another pool.
            var lane = new DbContextOptionsBuilder<ElderIoTDbContext>().UseApplicationServiceProvider(provider);
            foreach (var configuration in provider.GetServices<IDbContextOptionsConfiguration<ElderIoTDbContext>>())
            {
                configuration.Configure(provider, lane);
            }

            lane.UsePostgresRecords(AlarmRecords.ConnectionString(connectionString, poolSize))
                .AddInterceptors(new AlarmLaneConnectionTimer(provider.GetRequiredService<AlarmLaneMetrics>()));
            return new AlarmRecords(new PooledDbContextFactory<ElderIoTDbContext>(lane.Options));
        });

        services.AddHostedService<RecordsSchemaMigrator>();
        return services;
    }
}
