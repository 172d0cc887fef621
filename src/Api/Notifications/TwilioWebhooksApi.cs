using ElderIoT.Api.Broadcasts;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Contracts.Broadcasts;
using ElderIoT.Contracts.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twilio.TwiML;

namespace ElderIoT.Api.Notifications;

/// <summary>
/// What Twilio posts back: a text's delivery report, a call's status, the key pressed during a call,
/// and a text sent to the centre's number. Every one is verified (<see cref="TwilioWebhookVerifier"/>)
/// before its form is used.
/// </summary>
public static class TwilioWebhooksApi
{
    private const string Xml = "application/xml";

    public static void MapTwilioWebhooks(this RouteGroupBuilder group)
    {
        Webhook(group.MapPost("twilio-status", SmsStatusAsync).WithName("TwilioStatusCallback")
            .WithSummary("Twilio's delivery report for a text (StatusCallback), checked against X-Twilio-Signature."));
        Webhook(group.MapPost("twilio-call-status", CallStatusAsync).WithName("TwilioCallStatusCallback")
            .WithSummary("Twilio's status callbacks of a family call (queued … completed, busy, no-answer, failed): a call over without a 1 passes the call tree on."));
        Webhook(group.MapPost("twilio-gather", GatherAsync).WithName("TwilioGather")
            .WithSummary("The key a contact pressed during a family call (1: going); answers TwiML.")
            .Produces<string>(StatusCodes.Status200OK, Xml));
        Webhook(group.MapPost("twilio-inbound", InboundAsync).WithName("TwilioInboundMessage")
            .WithSummary("A text sent to the centre's number: a family reply (1, 到: going; anything else: a message for the seat), or, as the whole text, 退订/TD/STOP… or START/订阅 for care messages (answered); answers TwiML.")
            .Produces<string>(StatusCodes.Status200OK, Xml));
        Webhook(group.MapPost("twilio-care-call-status", CareCallStatusAsync).WithName("TwilioCareCallStatusCallback")
            .WithSummary("Twilio's final status of a care broadcast's call to an elder (completed, busy, no-answer, failed): recorded on that broadcast message."));
    }

    // Twilio posts a form without an antiforgery token or a bearer token; its own signature authenticates it.
    private static RouteHandlerBuilder Webhook(RouteHandlerBuilder endpoint) => endpoint
        .DisableAntiforgery()
        .AllowAnonymous()
        .WithRequestBodyLimit(TwilioWebhookVerifier.MaxBodyBytes)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> SmsStatusAsync(
        HttpRequest request, TwilioWebhookVerifier verifier, IGrainFactory grains, CancellationToken cancellationToken)
    {
        const string endpoint = "TwilioStatusCallback";
        var (form, refusal) = await verifier.ReadAsync(request, TwilioWebhooks.SmsStatus, endpoint, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (NotificationId(request) is not { } id || !form!.TryGetValue("MessageStatus", out var status))
        {
            return verifier.Refuse(RefusalReasons.InvalidField, endpoint, StatusCodes.Status400BadRequest, "notificationId", "notificationId (query, a GUID) and MessageStatus (form) are required");
        }

        form.TryGetValue("ErrorCode", out var errorCode);
        return await grains.GetGrain<INotificationGrain>(id).ApplyDeliveryReportAsync(status, errorCode)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> CallStatusAsync(
        HttpRequest request, TwilioWebhookVerifier verifier, IGrainFactory grains, CancellationToken cancellationToken)
    {
        const string endpoint = "TwilioCallStatusCallback";
        var (form, refusal) = await verifier.ReadAsync(request, TwilioWebhooks.CallStatus, endpoint, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (NotificationId(request) is not { } id || !CallStatusWords.TryParse(form!.GetValueOrDefault("CallStatus"), out var status))
        {
            return verifier.Refuse(RefusalReasons.InvalidField, endpoint, StatusCodes.Status400BadRequest, "CallStatus",
                "notificationId (query, a GUID) and CallStatus (form: queued, initiated, ringing, in-progress, completed, busy, no-answer, failed, canceled) are required");
        }

        return await grains.GetGrain<INotificationGrain>(id).ApplyCallStatusAsync(status, form!.GetValueOrDefault("ErrorCode"))
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> CareCallStatusAsync(
        HttpRequest request, TwilioWebhookVerifier verifier, IGrainFactory grains, CancellationToken cancellationToken)
    {
        const string endpoint = "TwilioCareCallStatusCallback";
        var (form, refusal) = await verifier.ReadAsync(request, TwilioWebhooks.CareCallStatus, endpoint, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!Guid.TryParse(request.Query["broadcastId"], out var broadcastId) || !long.TryParse(request.Query["messageId"], out var messageId)
            || !CallStatusWords.TryParse(form!.GetValueOrDefault("CallStatus"), out var status))
        {
            return verifier.Refuse(RefusalReasons.InvalidField, endpoint, StatusCodes.Status400BadRequest, "CallStatus",
                "broadcastId (query, a GUID), messageId (query, a number) and CallStatus (form: queued, initiated, ringing, in-progress, completed, busy, no-answer, failed, canceled) are required");
        }

        return await grains.GetGrain<IBroadcastGrain>(broadcastId).ApplyCallStatusAsync(messageId, status, form!.GetValueOrDefault("ErrorCode"))
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
    }

    private static async Task<Results<ContentHttpResult, NotFound, ProblemHttpResult>> GatherAsync(
        HttpRequest request, TwilioWebhookVerifier verifier, IGrainFactory grains, CancellationToken cancellationToken)
    {
        const string endpoint = "TwilioGather";
        var (form, refusal) = await verifier.ReadAsync(request, TwilioWebhooks.Gather, endpoint, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (NotificationId(request) is not { } id)
        {
            return verifier.Refuse(RefusalReasons.InvalidField, endpoint, StatusCodes.Status400BadRequest, "notificationId", "notificationId (query, a GUID) is required");
        }

        // No key within the wait posts an empty Digits (actionOnEmptyResult): not a confirmation.
        var result = await grains.GetGrain<INotificationGrain>(id).ApplyKeypressAsync(form!.GetValueOrDefault("Digits") ?? "");
        return result.Outcome == KeypressOutcome.UnknownCall ? TypedResults.NotFound() : TypedResults.Text(result.Twiml, Xml);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> InboundAsync(
        HttpRequest request, TwilioWebhookVerifier verifier, FamilyReplies replies, CareMessageOptOuts optOuts, CancellationToken cancellationToken)
    {
        const string endpoint = "TwilioInboundMessage";
        var (form, refusal) = await verifier.ReadAsync(request, TwilioWebhooks.Inbound, endpoint, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (form!.GetValueOrDefault("From") is not { Length: > 0 } from)
        {
            return verifier.Refuse(RefusalReasons.InvalidField, endpoint, StatusCodes.Status400BadRequest, "From", "From (form, the sender's number) is required");
        }

        var body = form!.GetValueOrDefault("Body") ?? "";
        // A care opt-out or opt-in word (the whole text) is answered; anything a family writes to an open
        // alarm goes on its timeline exactly as before, a STOP included: the seat should know.
        var answer = await optOuts.HandleAsync(from, body, cancellationToken);
        await replies.RecordAsync(from, body, cancellationToken, countUnmatched: answer is null);
        var response = new MessagingResponse();
        if (answer is not null)
        {
            response.Message(answer);
        }

        // Otherwise an empty answer: Twilio sends nothing back. The family is not texted about their own reply.
        return TypedResults.Text(response.ToString(), Xml);
    }

    private static Guid? NotificationId(HttpRequest request) =>
        Guid.TryParse(request.Query["notificationId"], out var id) ? id : null;
}
