using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ElderIoT.Silo;

/// <summary>Ready only while the records database answers: without it no alarm can be stored.</summary>
internal sealed class RecordsHealthCheck(IDbContextFactory<ElderIoTDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the records database does not answer");
    }
}
