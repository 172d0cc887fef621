using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Notifications.Twilio;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Notifications;

/// <summary>
/// Delivers one notification. Its record is written before every send attempt's result is acted
/// on, so a restart resumes a retry where it was and never re-sends what the provider took. A call
/// that ends without the contact confirming hands the step's call tree to the next contact.
/// Notifications are of alarms: on the alarm lane (<see cref="AlarmRecords"/>).
/// </summary>
internal sealed partial class NotificationGrain(
    AlarmRecords contexts,
    IFamilyNotifier notifier,
    IOptions<NotificationOptions> options,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<NotificationGrain> logger) : Grain, INotificationGrain
{
    // Records lost space or went read-only while a send's outcome was being written.
    private static readonly TimeSpan RecordRetryDelay = TimeSpan.FromSeconds(5);

    private static readonly string Pending = NotificationStatus.Pending.ToSnakeCase();
    private static readonly string Sent = NotificationStatus.Sent.ToSnakeCase();
    private static readonly string Waiting = NotificationStatus.Waiting.ToSnakeCase();
    private static readonly string Voice = NotificationChannel.Voice.ToSnakeCase();

    private IGrainTimer? _timer;

    // What the provider answered but the records could not take yet: recorded on the next attempt
    // instead of sending again, so a full disk does not text the family once per sweep.
    private (SendResult Result, DateTimeOffset At)? _unrecorded;

    public async Task DeliverAsync()
    {
        var id = this.GetPrimaryKey(); // a local, so EF compiles the query once, not once per grain
        await using var db = await contexts.CreateDbContextAsync();
        var record = await db.Notifications.SingleOrDefaultAsync(n => n.Id == id);
        var now = clock.GetUtcNow();
        if (record is not null && record.Status == Sent && record.Channel == Voice && record.NextAttemptAt is { } answerBy)
        {
            // A placed call: its deadline for a final status (the sweeper wakes it after a restart).
            if (answerBy > now)
            {
                Schedule(answerBy - now);
                return;
            }

            await FinishCallAsync(db, record, NotificationStatus.Unanswered, "no_callback", CallOutcome.NoCallback,
                $"no final call status within {options.Value.CallAnswerTimeout.TotalSeconds:0} s");
            return;
        }

        if (record is null || record.Status != Pending)
        {
            return;
        }

        if (record.NextAttemptAt is { } next && next > now)
        {
            Schedule(next - now);
            return;
        }

        SendResult result;
        if (_unrecorded is { } earlier)
        {
            (result, now) = earlier;
        }
        else
        {
            result = record.Channel == Voice
                ? await notifier.CallAsync(new VoiceCall(record.Recipient, record.Body, record.Language, record.Id), CancellationToken.None)
                : await notifier.SendSmsAsync(new SmsMessage(record.Recipient, record.Body, record.Id), CancellationToken.None);
            now = clock.GetUtcNow();
        }

        record.Attempts++;
        record.UpdatedAt = now;
        record.LastError = result.Error;
        switch (result.Outcome)
        {
            case SendOutcome.Accepted:
                record.Status = Sent;
                record.ProviderMessageId = result.ProviderId;
                record.SentAt = now;
                // A call is not over when it is placed: it must reach a final status by then.
                record.NextAttemptAt = record.Channel == Voice ? now + options.Value.CallAnswerTimeout : null;
                record.ProviderStatus = record.Channel == Voice ? CallStatus.Queued.ToSnakeCase() : null;
                break;
            case SendOutcome.TransientFailure when record.Attempts < options.Value.MaxAttempts:
                record.NextAttemptAt = now + options.Value.RetryDelay(record.Attempts);
                break;
            case SendOutcome.NotConfigured:
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
            Schedule(RecordRetryDelay); // the sweeper would also find it: it is still pending and due
            throw;
        }

        LogAttempt(record.Id, record.AlarmId, record.Attempts, record.Status, result.Error);
        if (record.Status != Pending)
        {
            await TellAlarmAsync(record, record.Status);
        }

        if (record.NextAttemptAt is { } retryAt)
        {
            Schedule(retryAt - now);
        }
        else if (record.Channel == Voice && record.Status != Sent)
        {
            // Not placed at all (bad number, no provider): the next contact is called now.
            await PassOnAsync(db, record);
        }
    }

    public async Task<bool> ApplyDeliveryReportAsync(string providerStatus, string? errorCode)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var record = await LoadAsync(db);
        if (record is null)
        {
            return false;
        }

        var outcome = providerStatus switch
        {
            "delivered" => NotificationStatus.Delivered,
            "failed" or "undelivered" => NotificationStatus.Failed,
            _ => (NotificationStatus?)null,
        };
        // Only a sent text moves on; a late or repeated report changes nothing.
        if (outcome is not { } status || record.Status != Sent || record.Channel == Voice)
        {
            return true;
        }

        record.Status = status.ToSnakeCase();
        record.ProviderStatus = providerStatus;
        record.UpdatedAt = clock.GetUtcNow();
        if (status == NotificationStatus.Failed)
        {
            record.LastError = $"Twilio reports {providerStatus}{ErrorCode(errorCode)}";
        }

        await db.SaveChangesAsync();
        LogDeliveryReport(record.Id, record.AlarmId, record.Status);
        // A text that never arrived matters to the seat: the family may not know.
        await TellAlarmAsync(record, record.Status);
        return true;
    }

    public async Task<bool> ApplyCallStatusAsync(CallStatus status, string? errorCode)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var record = await LoadAsync(db);
        if (record is null)
        {
            return false;
        }

        var confirmed = NotificationStatus.Confirmed.ToSnakeCase();
        if (record.Channel != Voice || (record.Status != Sent && record.Status != confirmed))
        {
            return true; // a text's id, or a report after the call was already given up: nothing to change
        }

        LogCallStatus(record.Id, record.AlarmId, status);
        if (!status.IsFinal() || record.Status == confirmed)
        {
            // Ringing, answered…; or the end of a call whose contact already said they are going.
            record.ProviderStatus = status.ToSnakeCase();
            record.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync();
            return true;
        }

        // Over without a 1: busy, no answer, failed, or answered and hung up without pressing it.
        var (outcome, said, detail) = status switch
        {
            CallStatus.Completed => (NotificationStatus.Unanswered, CallOutcome.AnsweredWithoutConfirming, "answered without pressing 1"),
            CallStatus.Busy => (NotificationStatus.Unanswered, CallOutcome.Busy, $"Twilio reports busy{ErrorCode(errorCode)}"),
            CallStatus.NoAnswer => (NotificationStatus.Unanswered, CallOutcome.NoAnswer, $"Twilio reports no_answer{ErrorCode(errorCode)}"),
            CallStatus.Canceled => (NotificationStatus.Unanswered, CallOutcome.Canceled, $"Twilio reports canceled{ErrorCode(errorCode)}"),
            _ => (NotificationStatus.Failed, CallOutcome.Failed, $"Twilio reports failed{ErrorCode(errorCode)}"),
        };
        await FinishCallAsync(db, record, outcome, status.ToSnakeCase(), said, detail);
        return true;
    }

    public async Task<KeypressResult> ApplyKeypressAsync(string digits)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var record = await LoadAsync(db);
        if (record is null || record.Channel != Voice)
        {
            return new KeypressResult(KeypressOutcome.UnknownCall, "");
        }

        if (digits.Trim() != "1")
        {
            return new KeypressResult(KeypressOutcome.NotUnderstood, CallScript.Say(AlarmMessageComposer.NotUnderstood(record.Language), record.Language));
        }

        var confirmed = NotificationStatus.Confirmed.ToSnakeCase();
        if (record.Status == confirmed)
        {
            return new KeypressResult(KeypressOutcome.Confirmed, Thanks(record)); // Twilio retried the action
        }

        // Even a call the tree already gave up on counts: a person is going.
        var now = clock.GetUtcNow();
        record.Status = confirmed;
        record.RespondedAt = now;
        record.NextAttemptAt = null;
        record.UpdatedAt = now;
        var alarmId = record.AlarmId;
        var step = record.Step;
        var behind = await db.Notifications
            .Where(n => n.AlarmId == alarmId && n.Step == step && n.Channel == Voice && n.Status == Waiting).ToListAsync();
        foreach (var waiting in behind)
        {
            waiting.Status = NotificationStatus.Skipped.ToSnakeCase();
            waiting.UpdatedAt = now;
        }

        await db.SaveChangesAsync();
        _timer?.Dispose();
        LogConfirmed(record.Id, record.AlarmId, behind.Count);
        await GrainFactory.GetGrain<IAlarmGrain>(record.AlarmId).RecordFamilyResponseAsync(
            new FamilyResponse(record.RecipientName, record.Recipient, FamilyResponseKind.Going, NotificationChannel.Voice, null));
        return new KeypressResult(KeypressOutcome.Confirmed, Thanks(record));
    }

    private static string Thanks(NotificationRecord record) => CallScript.Say(AlarmMessageComposer.Thanks(record.Language), record.Language);

    private async Task<NotificationRecord?> LoadAsync(ElderIoTDbContext db)
    {
        var id = this.GetPrimaryKey(); // a local, so EF compiles the query once, not once per grain
        return await db.Notifications.SingleOrDefaultAsync(n => n.Id == id);
    }

    /// <summary>A call is over without a confirmation: recorded, put on the timeline, and the next contact called.</summary>
    private async Task FinishCallAsync(ElderIoTDbContext db, NotificationRecord record, NotificationStatus outcome, string providerWord, CallOutcome said, string detail)
    {
        var now = clock.GetUtcNow();
        record.Status = outcome.ToSnakeCase();
        record.ProviderStatus = providerWord;
        record.LastError = detail;
        record.NextAttemptAt = null;
        record.UpdatedAt = now;
        await db.SaveChangesAsync();
        _timer?.Dispose();
        LogCallOver(record.Id, record.AlarmId, providerWord);
        await CallOutcomeToAlarmAsync(record, said);
        await PassOnAsync(db, record);
    }

    /// <summary>Calls the next contact of this call's tree, unless someone of it already confirmed.</summary>
    private async Task PassOnAsync(ElderIoTDbContext db, NotificationRecord record)
    {
        if (record.Channel != Voice)
        {
            return;
        }

        var alarmId = record.AlarmId;
        var step = record.Step;
        var next = await db.Notifications
            .Where(n => n.AlarmId == alarmId && n.Step == step && n.Channel == Voice && n.Status == Waiting)
            .OrderBy(n => n.Sequence).FirstOrDefaultAsync();
        if (next is null)
        {
            return;
        }

        next.Status = Pending;
        next.NextAttemptAt = null;
        next.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync();
        LogPassedOn(record.AlarmId, record.Id, next.Id);
        await GrainFactory.GetGrain<INotificationGrain>(next.Id).DeliverAsync();
    }

    /// <summary>A text's or call's new status, on the alarm's timeline and the seats' screens.</summary>
    private Task TellAlarmAsync(NotificationRecord record, string status)
    {
        var parsed = EnumNames.ParseSnakeCase<NotificationStatus>(status);
        if (record.Channel != Voice)
        {
            return GrainFactory.GetGrain<IAlarmGrain>(record.AlarmId)
                .RecordNotificationOutcomeAsync($"{record.RecipientName} {record.Recipient}", parsed, record.LastError);
        }

        return CallOutcomeToAlarmAsync(record, parsed switch
        {
            NotificationStatus.Sent => CallOutcome.Placed,
            NotificationStatus.NotSent => CallOutcome.NotPlaced,
            _ => CallOutcome.Failed,
        });
    }

    private Task CallOutcomeToAlarmAsync(NotificationRecord record, CallOutcome outcome) =>
        GrainFactory.GetGrain<IAlarmGrain>(record.AlarmId).RecordCallOutcomeAsync($"{record.RecipientName} {record.Recipient}", outcome, record.LastError);

    private static string ErrorCode(string? errorCode) => string.IsNullOrEmpty(errorCode) ? "" : $" (error {errorCode})";

    private void Schedule(TimeSpan delay)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(
            _ => DeliverAsync(),
            new GrainTimerCreationOptions(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    [LoggerMessage(2002, LogLevel.Information, "Notification {NotificationId} of alarm {AlarmId}: delivery report {Status}")]
    private partial void LogDeliveryReport(Guid notificationId, Guid alarmId, string status);

    [LoggerMessage(2003, LogLevel.Error, "Notification {NotificationId} of alarm {AlarmId}: the provider's answer ({Outcome}) could not be recorded; recording it again later without sending again")]
    private partial void LogOutcomeUnrecorded(Exception exception, Guid notificationId, Guid alarmId, SendOutcome outcome);

    [LoggerMessage(2001, LogLevel.Information, "Notification {NotificationId} of alarm {AlarmId}, attempt {Attempt}: {Status} {Error}")]
    private partial void LogAttempt(Guid notificationId, Guid alarmId, int attempt, string status, string? error);

    [LoggerMessage(2004, LogLevel.Information, "Call {NotificationId} of alarm {AlarmId}: {Status}")]
    private partial void LogCallStatus(Guid notificationId, Guid alarmId, CallStatus status);

    [LoggerMessage(2005, LogLevel.Information, "Call {NotificationId} of alarm {AlarmId} over without a confirmation: {How}")]
    private partial void LogCallOver(Guid notificationId, Guid alarmId, string how);

    [LoggerMessage(2006, LogLevel.Information, "Alarm {AlarmId}: call tree passes from {NotificationId} to {NextId}")]
    private partial void LogPassedOn(Guid alarmId, Guid notificationId, Guid nextId);

    [LoggerMessage(2007, LogLevel.Warning, "Call {NotificationId} of alarm {AlarmId}: the contact pressed 1 (going); {Skipped} later call(s) of the tree not placed")]
    private partial void LogConfirmed(Guid notificationId, Guid alarmId, int skipped);
}
