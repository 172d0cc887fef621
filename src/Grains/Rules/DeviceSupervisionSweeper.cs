using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Hosting;
using ElderIoT.Records;
using ElderIoT.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Rules;

/// <summary>
/// Device silence as deadlines in data (the <see cref="PendingWorkSweeper"/> pattern): a device's
/// deadline is its last-seen time plus its interval, both in its record, so no timer is lost with a
/// node. Every sweep finds the devices past it and not yet marked silent and hands them, with the size
/// of each district, to the outage detector, which decides outage or device_silent. Every node may
/// sweep: the detector is one grain and a device is raised once (its record is then marked).
/// </summary>
internal sealed class DeviceSupervisionSweeper(
    IDbContextFactory<ElderIoTDbContext> contexts,
    IGrainFactory grains,
    IOptions<AlarmRulesOptions> options,
    WorkerMetrics workers,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<DeviceSupervisionSweeper> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => options.Value.SupervisionEnabled
        ? new ResilientLoop("device-supervision", workers, logger) { MaxBackoff = options.Value.SweepInterval }
            .RunAsync(SweepAsync, options.Value.SweepInterval, stoppingToken)
        : Task.CompletedTask;

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        var rules = options.Value;
        var now = clock.GetUtcNow();
        var cutoff = now - rules.ShortestInterval;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var candidates = await (
                from d in db.Devices.AsNoTracking()
                // Past the shortest interval of any kind, or with an interval of its own (judged below).
                where d.ResponderId == null && !d.Disabled && d.SilentSince == null && d.LastSeenAt != null
                    && (d.LastSeenAt < cutoff || d.ReportEverySeconds != null)
                join e in db.Elders.AsNoTracking() on d.ElderId equals e.Id
                select new { d.Id, d.Kind, d.ReportEverySeconds, d.LastSeenAt, e.District })
            .ToListAsync(cancellationToken);
        var silent = new List<SilentDevice>();
        foreach (var c in candidates)
        {
            var every = c.ReportEverySeconds is { } s ? TimeSpan.FromSeconds(s) : rules.IntervalFor(EnumNames.ParseSnakeCase<DeviceKind>(c.Kind));
            if (SilenceRule.IsSilent(c.LastSeenAt, every, now))
            {
                silent.Add(new SilentDevice(c.Id, c.District, c.LastSeenAt!.Value + every));
            }
        }

        var perScope = new Dictionary<string, int>(StringComparer.Ordinal);
        if (silent.Count > 0)
        {
            // The size of each scope, for "half of a district": one grouped count, only when something is silent.
            var detector = new OutageDetector(rules.Outage.ToSettings());
            var perDistrict = await (
                    from d in db.Devices.AsNoTracking()
                    where d.ResponderId == null && !d.Disabled && d.LastSeenAt != null
                    join e in db.Elders.AsNoTracking() on d.ElderId equals e.Id
                    group d by e.District into g
                    select new { District = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            foreach (var row in perDistrict)
            {
                var scope = detector.ScopeOf(row.District);
                perScope[scope] = perScope.GetValueOrDefault(scope) + row.Count;
            }
        }

        // Called even with none silent: devices held for judgement are released as their window passes.
        await grains.GetGrain<IOutageGrain>(0).ReportSilentAsync(silent, perScope);
    }
}
