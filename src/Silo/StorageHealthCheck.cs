using ElderIoT.Hosting;
using ElderIoT.Records;
using ElderIoT.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ElderIoT.Silo;

/// <summary>
/// Ready only while this node has somewhere durable to put what it acknowledges: the telemetry
/// write-ahead log's folder and the records' SQLite folder must take a small fsync'd write. A full or
/// read-only disk still answers reads, so asking the database is not enough. Unready, a load balancer
/// sends devices to another node; QoS 1 readings and alarms meanwhile get no PUBACK here.
/// </summary>
internal sealed class StorageHealthCheck(IServiceProvider services, IOptions<RecordsOptions> records, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await services.ProbeTelemetryLogAsync(cancellationToken) is { } telemetry)
        {
            return HealthCheckResult.Unhealthy(telemetry);
        }

        // SQLite records live in the data folder; PostgreSQL answers for itself (RecordsHealthCheck).
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString("ElderIoT"))
            && await StorageProbe.TryWriteAsync(Path.GetFullPath(records.Value.DataDirectory), cancellationToken) is { } failure)
        {
            return HealthCheckResult.Unhealthy($"the records folder cannot be written: {failure}");
        }

        return HealthCheckResult.Healthy();
    }
}
