using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Notifications;

/// <summary>/api/notifications: what was sent to whom, and how it went; Twilio's webhooks.</summary>
public static class NotificationsApi
{
    /// <summary>The longest district filter read (as on the alarm list).</summary>
    private const int MaxDistrictLength = 200;

    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/notifications").WithTags("Notifications");
        group.MapGet("", ListAsync).WithName("ListNotifications")
            .WithSummary("Texts and calls to families: of one alarm (in the order they were queued), or across alarms (newest first) by status, channel, time and district, so a supervisor sees every failed or unsent one in one place.");
        group.MapTwilioWebhooks();
        return group;
    }

    private static async Task<Results<Ok<List<NotificationResponse>>, ValidationProblem>> ListAsync(
        IDbContextFactory<ElderIoTDbContext> contexts,
        Guid? alarmId = null, string? status = null, string? channel = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        string? district = null, int limit = 100, int offset = 0)
    {
        var errors = new RequestErrors();
        if (status is not null && !EnumNames.TryParseSnakeCase<NotificationStatus>(status, out _))
        {
            errors.Add("status", ApiTexts.OneOf([.. Enum.GetValues<NotificationStatus>().Select(s => s.ToSnakeCase())]));
        }

        if (channel is not null && !EnumNames.TryParseSnakeCase<NotificationChannel>(channel, out _))
        {
            errors.Add("channel", ApiTexts.OneOf([.. Enum.GetValues<NotificationChannel>().Select(c => c.ToSnakeCase())]));
        }

        if (from is { } start && to is { } end && start >= end)
        {
            errors.Add("from", ApiTexts.FromBeforeTo);
        }

        if (district is { Length: > MaxDistrictLength })
        {
            errors.Add("district", ApiTexts.AtMostCharacters(MaxDistrictLength));
        }

        if (limit is < 1 or > 500)
        {
            errors.Add("limit", ApiTexts.Between(1, 500));
        }

        if (offset < 0)
        {
            errors.Add("offset", ApiTexts.ZeroOrMore);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await contexts.CreateDbContextAsync();
        var query = db.Notifications.AsNoTracking();
        if (alarmId is { } alarm)
        {
            query = query.Where(n => n.AlarmId == alarm);
        }

        if (status is not null)
        {
            query = query.Where(n => n.Status == status);
        }

        if (channel is not null)
        {
            query = query.Where(n => n.Channel == channel);
        }

        if (from is { } since)
        {
            query = query.Where(n => n.CreatedAt >= since);
        }

        if (to is { } until)
        {
            query = query.Where(n => n.CreatedAt < until);
        }

        if (!string.IsNullOrWhiteSpace(district))
        {
            var alarms = db.Alarms.AsNoTracking().WithinDistrict(district).Select(a => a.Id);
            query = query.Where(n => alarms.Contains(n.AlarmId));
        }

        // One alarm reads as its story (oldest first); the list across alarms as a worklist (newest first).
        query = alarmId is null
            ? query.OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Id)
            : query.OrderBy(n => n.CreatedAt).ThenBy(n => n.Step).ThenBy(n => n.Channel).ThenBy(n => n.Sequence);
        var rows = await query.Skip(offset).Take(limit).ToListAsync();
        return TypedResults.Ok(rows.Select(NotificationResponse.From).ToList());
    }
}

/// <summary>One text or call as the API shows it.</summary>
/// <param name="Channel">sms or voice.</param>
/// <param name="Status">pending, sent, delivered, failed, not_sent; for calls also waiting, unanswered, confirmed, skipped.</param>
/// <param name="ProviderStatus">Twilio's last word: a text's delivery status, a call's status (ringing, in_progress, busy, no_answer…).</param>
/// <param name="Sequence">The call's place in its step's call tree.</param>
/// <param name="RespondedAt">When the contact pressed 1 (going).</param>
public sealed record NotificationResponse(
    Guid Id, Guid AlarmId, int Step, string Channel, string RecipientName, string Recipient, string Language,
    string Body, string Status, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError,
    string? ProviderMessageId, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    string? ProviderStatus, int Sequence, DateTimeOffset? RespondedAt)
{
    public static NotificationResponse From(NotificationRecord n) => new(
        n.Id, n.AlarmId, n.Step, n.Channel, n.RecipientName, n.Recipient, n.Language, n.Body, n.Status,
        n.Attempts, n.NextAttemptAt, n.LastError, n.ProviderMessageId, n.CreatedAt, n.SentAt,
        n.ProviderStatus, n.Sequence, n.RespondedAt);
}
