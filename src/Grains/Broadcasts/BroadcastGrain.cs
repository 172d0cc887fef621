using ElderIoT.Contracts;
using ElderIoT.Contracts.Broadcasts;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Notifications;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Broadcasts;

/// <summary>
/// One care broadcast. Its messages are rows before anything is sent, each marked as the provider
/// answers, so a restart resumes with the first pending one and never texts an elder twice.
/// </summary>
internal sealed partial class BroadcastGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    IFamilyNotifier notifier,
    IOptions<BroadcastOptions> options,
    IOptions<NotificationOptions> notificationOptions,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<BroadcastGrain> logger) : Grain, IBroadcastGrain
{
    private static readonly string PendingStatus = BroadcastMessageStatus.Pending.ToSnakeCase();

    private IGrainTimer? _sendTimer;

    public async Task<BroadcastSnapshot> StartAsync(string text, BroadcastAudience audience, string createdBy)
    {
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
            record.FinishedAt);
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

        // The broadcast message's row id is not a notification id: delivery callbacks for it find no
        // notification and are dropped, which is all a care message needs.
        var result = await notifier.SendSmsAsync(new SmsMessage(message.Phone, broadcast.Text, Guid.NewGuid()), CancellationToken.None);
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
}
