using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Broadcasts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Grains.Alarms;
using ElderIoT.Hosting;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Infrastructure;

/// <summary>
/// The crash-recovery path for deadlines. Grain timers are lost with their process; the deadlines
/// are not, because they are in the records. At start and then every sweep interval this wakes
/// every open alarm whose next escalation step is due and every notification whose retry is due.
/// Waking is idempotent, so every node of a cluster may sweep.
/// </summary>
internal sealed partial class PendingWorkSweeper(
    IDbContextFactory<ElderIoTDbContext> contexts,
    AlarmRecords alarmRecords,
    IGrainFactory grains,
    IOptions<EscalationOptions> options,
    WorkerMetrics workers,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<PendingWorkSweeper> logger) : BackgroundService
{
    private static readonly string Open = AlarmStatus.Open.ToSnakeCase();
    private static readonly string Pending = NotificationStatus.Pending.ToSnakeCase();
    private static readonly string Sent = NotificationStatus.Sent.ToSnakeCase();
    private static readonly string Voice = NotificationChannel.Voice.ToSnakeCase();
    private static readonly string PendingCommand = DeviceCommandState.Pending.ToSnakeCase();

    // The cadence is wall-clock polling, deliberately not the domain clock: whether a deadline is
    // due is decided by the domain clock inside the query. A failed sweep (records unreadable) is
    // retried with the shared backoff, never longer apart than the sweep interval.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new ResilientLoop("pending-work-sweeper", workers, logger) { MaxBackoff = options.Value.SweepInterval }
            .RunAsync(SweepAsync, options.Value.SweepInterval, stoppingToken);

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<Guid> dueAlarms;
        List<Guid> dueNotifications;
        // Due escalation steps and notification retries are the alarm path: the lane, not behind bulk work.
        await using (var db = await alarmRecords.CreateDbContextAsync(cancellationToken))
        {
            dueAlarms = await db.Alarms.AsNoTracking()
                .Where(a => a.Status == Open && a.NextStepDueAt != null && a.NextStepDueAt <= now)
                .Select(a => a.Id).ToListAsync(cancellationToken);
            dueNotifications = await db.Notifications.AsNoTracking()
                // A placed call past its deadline for a final status is due too: its call tree moves on.
                .Where(n => (n.Status == Pending && (n.NextAttemptAt == null || n.NextAttemptAt <= now))
                    || (n.Status == Sent && n.Channel == Voice && n.NextAttemptAt != null && n.NextAttemptAt <= now))
                .Select(n => n.Id).ToListAsync(cancellationToken);
        }

        var failures = 0;
        foreach (var alarmId in dueAlarms)
        {
            try
            {
                await grains.GetGrain<IAlarmGrain>(alarmId).AdvanceEscalationAsync();
            }
            catch (Exception exception)
            {
                failures++;
                LogAlarmWakeFailed(exception, alarmId);
            }
        }

        foreach (var notificationId in dueNotifications)
        {
            try
            {
                await grains.GetGrain<INotificationGrain>(notificationId).DeliverAsync();
            }
            catch (Exception exception)
            {
                // Its record still says pending and due: the next sweep tries it again.
                failures++;
                LogNotificationWakeFailed(exception, notificationId);
            }
        }

        if (dueAlarms.Count + dueNotifications.Count > 0)
        {
            LogSwept(dueAlarms.Count, dueNotifications.Count);
        }

        failures += await ExpireDeviceCommandsAsync(now, cancellationToken);
        failures += await ResumeBroadcastsAsync(cancellationToken);
        if (failures > 0)
        {
            // Each one is retried at the next sweep; the round counts as failed so it is seen and backed off.
            throw new InvalidOperationException($"{failures} due alarm(s), notification(s) or device command expiries could not be woken");
        }
    }

    /// <summary>A broadcast whose node went down while sending goes on from its first pending message.</summary>
    private async Task<int> ResumeBroadcastsAsync(CancellationToken cancellationToken)
    {
        var sending = BroadcastStatus.Sending.ToSnakeCase();
        List<Guid> broadcasts;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            broadcasts = await db.Broadcasts.AsNoTracking().Where(b => b.Status == sending).Select(b => b.Id).ToListAsync(cancellationToken);
        }

        var failures = 0;
        foreach (var broadcastId in broadcasts)
        {
            try
            {
                await grains.GetGrain<IBroadcastGrain>(broadcastId).ResumeAsync();
            }
            catch (Exception exception)
            {
                failures++;
                LogBroadcastResumeFailed(exception, broadcastId);
            }
        }

        return failures;
    }

    /// <summary>A command that waited in vain for its device is recorded as expired, even if the device never comes back.</summary>
    private async Task<int> ExpireDeviceCommandsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<string> devices;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            devices = await db.DeviceCommands.AsNoTracking()
                .Where(c => c.State == PendingCommand && c.ExpiresAt <= now)
                .Select(c => c.DeviceId).Distinct().ToListAsync(cancellationToken);
        }

        var failures = 0;
        foreach (var deviceId in devices)
        {
            try
            {
                await grains.GetGrain<IDeviceGrain>(deviceId).ExpireCommandsAsync();
            }
            catch (Exception exception)
            {
                failures++;
                LogCommandExpiryFailed(exception, deviceId);
            }
        }

        return failures;
    }

    [LoggerMessage(5001, LogLevel.Information, "Sweep woke {Alarms} alarm(s) with a due escalation step and {Notifications} notification(s) due")]
    private partial void LogSwept(int alarms, int notifications);

    [LoggerMessage(5004, LogLevel.Error, "Sweep could not wake notification {NotificationId}; it is tried again at the next sweep")]
    private partial void LogNotificationWakeFailed(Exception exception, Guid notificationId);

    [LoggerMessage(5003, LogLevel.Error, "Sweep could not wake alarm {AlarmId}")]
    private partial void LogAlarmWakeFailed(Exception exception, Guid alarmId);

    [LoggerMessage(5006, LogLevel.Warning, "Sweep could not resume broadcast {BroadcastId}; it tries again at the next sweep")]
    private partial void LogBroadcastResumeFailed(Exception exception, Guid broadcastId);

    [LoggerMessage(5005, LogLevel.Warning, "Sweep could not expire the due commands of device {DeviceId}; it tries again at the next sweep")]
    private partial void LogCommandExpiryFailed(Exception exception, string deviceId);
}
