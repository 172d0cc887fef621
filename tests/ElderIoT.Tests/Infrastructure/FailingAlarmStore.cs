using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>Makes storing a new alarm fail while switched on, as a full disk or a lost database would.</summary>
public sealed class FailingAlarmStore : SaveChangesInterceptor
{
    public volatile bool Failing;

    public void AddTo(IServiceCollection services) =>
        services.ConfigureDbContext<ElderIoTDbContext>(options => options.AddInterceptors(this));

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Failing && eventData.Context!.ChangeTracker.Entries<AlarmRecord>().Any(e => e.State == EntityState.Added))
        {
            throw new DbUpdateException("simulated: the records database is unavailable");
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}
