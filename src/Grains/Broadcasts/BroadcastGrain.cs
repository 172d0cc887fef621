using ElderIoT.Contracts;
using ElderIoT.Contracts.Broadcasts;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Notifications;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Broadcasts;

/// <summary>
/// One care broadcast, by text or by call. Its messages are rows before anything is sent, each marked
/// as the provider answers (and, for a call, as Twilio reports how it ended), so a restart resumes with
/// the first pending one and never texts or calls an elder twice.
/// </summary>
internal sealed partial class BroadcastGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    IFamilyNotifier notifier,
    IOptions<BroadcastOptions> options,
    IOptions<NotificationOptions> notificationOptions,
    CareMessageComposer composer,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<BroadcastGrain> logger) : Grain, IBroadcastGrain
{
    private static readonly string PendingStatus = BroadcastMessageStatus.Pending.ToSnakeCase();
    private static readonly string SentStatus = BroadcastMessageStatus.Sent.ToSnakeCase();

    private static readonly string VoiceChannel = NotificationChannel.Voice.ToSnakeCase();

    private IGrainTimer? _sendTimer;

    public async Task<BroadcastSnapshot> StartAsync(string text, NotificationChannel channel, BroadcastAudience audience, string createdBy)
    {
        if (text.Length > BroadcastTexts.MaxLength(channel))
        {
            // The API refuses it with the field named; this keeps any other caller to the same rule.
            throw new ArgumentException($"A {channel.ToSnakeCase()} broadcast's text may be at most {BroadcastTexts.MaxLength(channel)} characters.", nameof(text));
        }

        if (await GetAsync() is { } existing)
        {
            return existing; // a retried request starts nothing twice
        }

        var now = clock.GetUtcNow();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(notificationOptions.Value.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        await using var db = await contexts.CreateDbContextAsync();
        var members = await BroadcastAudienceQuery.SelectAsync(db, audience, today, CancellationToken.None);
        var recipients = members.Where(m => m.WillReceive).ToList();
        if (recipients.Count > options.Value.MaxRecipients)
        {
            throw new BroadcastTooLargeException(recipients.Count, options.Value.MaxRecipients);
        }

        var id = this.GetPrimaryKey();
        db.Broadcasts.Add(new BroadcastRecord
        {
            Id = id,
            Text = text,
            Channel = channel.ToSnakeCase(),
            DistrictPrefix = audience.DistrictPrefix,
            MinAge = audience.MinAge,
            MaxAge = audience.MaxAge,
            CareLevels = [.. audience.CareLevels],
            Conditions = [.. audience.Conditions],
            Status = (recipients.Count == 0 ? BroadcastStatus.Done : BroadcastStatus.Sending).ToSnakeCase(),
            Recipients = recipients.Count,
            CreatedBy = createdBy,
            CreatedAt = now,
            FinishedAt = recipients.Count == 0 ? now : null,
        });
        db.BroadcastMessages.AddRange(recipients.Select(m => new BroadcastMessageRecord
        {
            BroadcastId = id,
            ElderId = m.ElderId,
            Phone = m.Phone!,
            Language = m.Language,
            Status = PendingStatus,
        }));
        await db.SaveChangesAsync();
        LogStarted(logger, id, recipients.Count, members.Count);
        StartSending();
        return (await GetAsync())!;
    }

    public async Task ResumeAsync()
    {
        if (_sendTimer is null && await GetAsync() is { Status: BroadcastStatus.Sending })
        {
            StartSending();
        }
    }

    public async Task<BroadcastSnapshot?> GetAsync()
    {
        var id = this.GetPrimaryKey();
        await using var db = await contexts.CreateDbContextAsync();
        var record = await db.Broadcasts.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id);
        if (record is null)
        {
            return null;
        }

        var counts = await db.BroadcastMessages.AsNoTracking().Where(m => m.BroadcastId == id)
            .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        int CountOf(BroadcastMessageStatus status) => counts.GetValueOrDefault(status.ToSnakeCase());
        return new BroadcastSnapshot(
            record.Id,
            record.Text,
            new BroadcastAudience(record.DistrictPrefix, record.MinAge, record.MaxAge, record.CareLevels, record.Conditions),
            EnumNames.ParseSnakeCase<BroadcastStatus>(record.Status),
            record.Recipients,
            CountOf(BroadcastMessageStatus.Sent),
            CountOf(BroadcastMessageStatus.Failed),
            CountOf(BroadcastMessageStatus.NotSent),
            record.CreatedBy,
            record.CreatedAt,
            record.FinishedAt,
            EnumNames.ParseSnakeCase<NotificationChannel>(record.Channel),
            CountOf(BroadcastMessageStatus.Completed),
            CountOf(BroadcastMessageStatus.Busy),
            CountOf(BroadcastMessageStatus.NoAnswer));
    }

    public async Task<bool> ApplyCallStatusAsync(long messageId, CallStatus status, string? errorCode)
    {
        var id = this.GetPrimaryKey();
        await using var db = await contexts.CreateDbContextAsync();
        var message = await db.BroadcastMessages.SingleOrDefaultAsync(m => m.Id == messageId && m.BroadcastId == id);
        if (message is null)
        {
            return false;
        }

        // Only a placed call that has not ended yet moves: a repeated or late callback changes nothing.
        if (message.Status != SentStatus)
        {
            return true;
        }

        message.ProviderStatus = status.ToSnakeCase();
        if (status.IsFinal())
        {
            (message.Status, message.Error) = status switch
            {
                CallStatus.Completed => (BroadcastMessageStatus.Completed.ToSnakeCase(), null),
                CallStatus.Busy => (BroadcastMessageStatus.Busy.ToSnakeCase(), null),
                CallStatus.NoAnswer => (BroadcastMessageStatus.NoAnswer.ToSnakeCase(), null),
                CallStatus.Canceled => (BroadcastMessageStatus.Failed.ToSnakeCase(), "the call was cancelled"),
                _ => (BroadcastMessageStatus.Failed.ToSnakeCase(), errorCode is { Length: > 0 } ? $"Twilio reports the call failed (error {errorCode})" : "Twilio reports the call failed"),
            };
            LogCallEnded(logger, id, messageId, status);
        }

        await db.SaveChangesAsync();
        return true;
    }

    // Once a second, at most MessagesPerSecond messages: the tick is the rate's unit, so a slow
    // provider only makes the broadcast slower, never burstier.
    private void StartSending() =>
        _sendTimer ??= this.RegisterGrainTimer(SendBatchAsync, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromSeconds(1)) { Interleave = false });

    private async Task SendBatchAsync(CancellationToken cancellationToken)
    {
        var id = this.GetPrimaryKey();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var batch = await db.BroadcastMessages.Where(m => m.BroadcastId == id && m.Status == PendingStatus)
            .OrderBy(m => m.Id).Take(options.Value.MessagesPerSecond).ToListAsync(cancellationToken);
        var broadcast = await db.Broadcasts.SingleAsync(b => b.Id == id, cancellationToken);
        foreach (var message in batch)
        {
            await SendAsync(db, broadcast, message);
        }

        var done = batch.Count < options.Value.MessagesPerSecond;
        if (done)
        {
            broadcast.Status = BroadcastStatus.Done.ToSnakeCase();
            broadcast.FinishedAt = clock.GetUtcNow();
        }

        // What the provider took is written whatever happens to the timer: not the tick's token.
        await db.SaveChangesAsync(CancellationToken.None);
        if (done)
        {
            // Disposing the timer cancels this very tick's token, so it is the last thing done.
            _sendTimer?.Dispose();
            _sendTimer = null;
            LogFinished(logger, id);
        }
    }

    private async Task SendAsync(ElderIoTDbContext db, BroadcastRecord broadcast, BroadcastMessageRecord message)
    {
        // Consent is read again at the message's turn: an elder who said stop after the broadcast
        // began is not texted.
        var consent = await db.Consents.AsNoTracking().SingleOrDefaultAsync(c => c.ElderId == message.ElderId);
        if (consent is not { CareMessages: true, CareMessagesOptedOutAt: null })
        {
            message.Status = BroadcastMessageStatus.NotSent.ToSnakeCase();
            message.Error = "consent withdrawn";
            return;
        }

        // A text: the broadcast message's row id is not a notification id, so delivery callbacks for it
        // find no notification and are dropped, which is all a care text needs. A call: its status
        // callbacks name this broadcast and message (CareCall), and settle the message.
        var result = broadcast.Channel == VoiceChannel
            ? await notifier.CallAsync(
                new VoiceCall(message.Phone, composer.Speech(broadcast.Text, message.Language), message.Language, Guid.NewGuid(), new CareCall(broadcast.Id, message.Id)),
                CancellationToken.None)
            : await notifier.SendSmsAsync(new SmsMessage(message.Phone, CareMessageComposer.Sms(broadcast.Text, message.Language), Guid.NewGuid()), CancellationToken.None);
        (message.Status, message.Error) = result.Outcome switch
        {
            SendOutcome.Accepted => (BroadcastMessageStatus.Sent.ToSnakeCase(), null),
            SendOutcome.NotConfigured => (BroadcastMessageStatus.NotSent.ToSnakeCase(), result.Error),
            _ => (BroadcastMessageStatus.Failed.ToSnakeCase(), result.Error),
        };
        message.ProviderMessageId = result.ProviderId;
        message.SentAt = clock.GetUtcNow();
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Broadcast {BroadcastId} started: {Recipients} recipients of {Matching} selected elders")]
    private static partial void LogStarted(ILogger logger, Guid broadcastId, int recipients, int matching);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Broadcast {BroadcastId} finished")]
    private static partial void LogFinished(ILogger logger, Guid broadcastId);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Broadcast {BroadcastId}: the call of message {MessageId} ended {Status}")]
    private static partial void LogCallEnded(ILogger logger, Guid broadcastId, long messageId, CallStatus status);
}
