using ElderIoT.Api.Infrastructure;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Notifications;

/// <summary>/api/notifications: what was sent to whom for an alarm, and how it went.</summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/notifications").WithTags("Notifications");
        group.MapGet("", ListAsync).WithName("ListNotifications").WithSummary("Notifications of an alarm, in the order they were queued.");
        // Twilio posts a form without an antiforgery token or a bearer token; its own signature authenticates it.
        group.MapPost("twilio-status", TwilioStatusCallback.HandleAsync).WithName("TwilioStatusCallback").DisableAntiforgery().AllowAnonymous()
            .WithRequestBodyLimit(TwilioStatusCallback.MaxBodyBytes)
            .WithSummary("Twilio's delivery report for a text (StatusCallback), checked against X-Twilio-Signature.");
        return group;
    }

    // alarmId is a required query parameter (a missing one is named by UnreadableRequestHandler), so the document says so.
    private static async Task<Ok<List<NotificationResponse>>> ListAsync(Guid alarmId, IDbContextFactory<ElderIoTDbContext> contexts)
    {
        var id = alarmId;
        await using var db = await contexts.CreateDbContextAsync();
        var rows = await db.Notifications.AsNoTracking().Where(n => n.AlarmId == id).ToListAsync();
        return TypedResults.Ok(rows.OrderBy(n => n.CreatedAt).ThenBy(n => n.Step).Select(NotificationResponse.From).ToList());
    }
}

/// <summary>One notification as the API shows it.</summary>
public sealed record NotificationResponse(
    Guid Id, Guid AlarmId, int Step, string Channel, string RecipientName, string Recipient, string Language,
    string Body, string Status, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError,
    string? ProviderMessageId, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
{
    public static NotificationResponse From(NotificationRecord n) => new(
        n.Id, n.AlarmId, n.Step, n.Channel, n.RecipientName, n.Recipient, n.Language, n.Body, n.Status,
        n.Attempts, n.NextAttemptAt, n.LastError, n.ProviderMessageId, n.CreatedAt, n.SentAt);
}
