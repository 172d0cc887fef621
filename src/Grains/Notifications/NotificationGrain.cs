using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Notifications;

/// <summary>
/// Delivers one notification. Its record is written before every send attempt's result is acted
/// on, so a restart resumes a retry where it was and never re-sends what the provider took.
/// </summary>
internal sealed partial class NotificationGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    ISmsSender sms,
    IOptions<NotificationOptions> options,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<NotificationGrain> logger) : Grain, INotificationGrain
{
    // Records lost space or went read-only while a send's outcome was being written.
    private static readonly TimeSpan RecordRetryDelay = TimeSpan.FromSeconds(5);

    private IGrainTimer? _retryTimer;

    // What the provider answered but the records could not take yet: recorded on the next attempt
    // instead of sending again, so a full disk does not text the family once per sweep.
    private (SmsSendResult Result, DateTimeOffset At)? _unrecorded;

    public async Task DeliverAsync()
    {
        var id = this.GetPrimaryKey(); // a local, so EF compiles the query once, not once per grain
        await using var db = await contexts.CreateDbContextAsync();
        var record = await db.Notifications.SingleOrDefaultAsync(n => n.Id == id);
        if (record is null || record.Status != NotificationStatus.Pending.ToSnakeCase())
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (record.NextAttemptAt is { } next && next > now)
        {
            ScheduleRetry(next - now);
            return;
        }

        SmsSendResult result;
        if (_unrecorded is { } earlier)
        {
            (result, now) = earlier;
        }
        else
        {
            result = await sms.SendAsync(new SmsMessage(record.Recipient, record.Body, record.Id), CancellationToken.None);
            now = clock.GetUtcNow();
        }

        record.Attempts++;
        record.UpdatedAt = now;
        record.LastError = result.Error;
        switch (result.Outcome)
        {
            case SmsSendOutcome.Accepted:
                record.Status = NotificationStatus.Sent.ToSnakeCase();
                record.ProviderMessageId = result.ProviderMessageId;
                record.SentAt = now;
                record.NextAttemptAt = null;
                break;
            case SmsSendOutcome.TransientFailure when record.Attempts < options.Value.MaxAttempts:
                record.NextAttemptAt = now + options.Value.RetryDelay(record.Attempts);
                break;
            case SmsSendOutcome.NotConfigured:
                record.Status = NotificationStatus.NotSent.ToSnakeCase();
                record.NextAttemptAt = null;
                break;
            default:
                record.Status = NotificationStatus.Failed.ToSnakeCase();
                record.NextAttemptAt = null;
                break;
        }

        try
        {
            await db.SaveChangesAsync();
            _unrecorded = null;
        }
        catch (Exception exception)
        {
            _unrecorded = (result, now);
            LogOutcomeUnrecorded(exception, record.Id, record.AlarmId, result.Outcome);
            ScheduleRetry(RecordRetryDelay); // the sweeper would also find it: it is still pending and due
            throw;
        }

        LogAttempt(record.Id, record.AlarmId, record.Attempts, record.Status, result.Error);
        if (record.Status != NotificationStatus.Pending.ToSnakeCase())
        {
            await GrainFactory.GetGrain<IAlarmGrain>(record.AlarmId)
                .RecordNotificationOutcomeAsync($"{record.RecipientName} {record.Recipient}", EnumNames.ParseSnakeCase<NotificationStatus>(record.Status), record.LastError);
        }
        if (record.NextAttemptAt is { } retryAt)
        {
            ScheduleRetry(retryAt - now);
        }
    }

    public async Task<bool> ApplyDeliveryReportAsync(string providerStatus, string? errorCode)
    {
        var id = this.GetPrimaryKey(); // a local, so EF compiles the query once, not once per grain
        await using var db = await contexts.CreateDbContextAsync();
        var record = await db.Notifications.SingleOrDefaultAsync(n => n.Id == id);
        if (record is null)
        {
            return false;
        }

        var sent = NotificationStatus.Sent.ToSnakeCase();
        var outcome = providerStatus switch
        {
            "delivered" => NotificationStatus.Delivered,
            "failed" or "undelivered" => NotificationStatus.Failed,
            _ => (NotificationStatus?)null,
        };
        // Only a sent message moves on; a late or repeated report changes nothing.
        if (outcome is not { } status || record.Status != sent)
        {
            return true;
        }

        record.Status = status.ToSnakeCase();
        record.UpdatedAt = clock.GetUtcNow();
        if (status == NotificationStatus.Failed)
        {
            record.LastError = $"Twilio reports {providerStatus}{(string.IsNullOrEmpty(errorCode) ? "" : $" (error {errorCode})")}";
        }

        await db.SaveChangesAsync();
        LogDeliveryReport(record.Id, record.AlarmId, record.Status);
        // A text that never arrived matters to the seat: the family may not know.
        await GrainFactory.GetGrain<IAlarmGrain>(record.AlarmId)
            .RecordNotificationOutcomeAsync($"{record.RecipientName} {record.Recipient}", EnumNames.ParseSnakeCase<NotificationStatus>(record.Status), record.LastError);
        return true;
    }

    private void ScheduleRetry(TimeSpan delay)
    {
        _retryTimer?.Dispose();
        _retryTimer = this.RegisterGrainTimer(
            _ => DeliverAsync(),
            new GrainTimerCreationOptions(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    [LoggerMessage(2002, LogLevel.Information, "Notification {NotificationId} of alarm {AlarmId}: delivery report {Status}")]
    private partial void LogDeliveryReport(Guid notificationId, Guid alarmId, string status);

    [LoggerMessage(2003, LogLevel.Error, "Notification {NotificationId} of alarm {AlarmId}: the provider's answer ({Outcome}) could not be recorded; recording it again later without sending again")]
    private partial void LogOutcomeUnrecorded(Exception exception, Guid notificationId, Guid alarmId, SmsSendOutcome outcome);

    [LoggerMessage(2001, LogLevel.Information, "Notification {NotificationId} of alarm {AlarmId}, attempt {Attempt}: {Status} {Error}")]
    private partial void LogAttempt(Guid notificationId, Guid alarmId, int attempt, string status, string? error);
}
