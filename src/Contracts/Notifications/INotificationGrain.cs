namespace ElderIoT.Contracts.Notifications;

/// <summary>
/// One notification (a text or a voice call to one contact for one alarm step), keyed by its id:
/// sends it, retries transient failures with backoff, and records every outcome. Idempotent: a sent
/// one is never re-sent. Voice calls of one step form a call tree: one contact at a time, in the
/// elder's order, until one confirms.
/// </summary>
public interface INotificationGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Tries to deliver now if it is pending and due; a no-op otherwise. One-way, so that an alarm
    /// never waits on the provider.
    /// </summary>
    [OneWay]
    Task DeliverAsync();

    /// <summary>
    /// Applies the provider's delivery report of a text (Twilio's StatusCallback): <c>delivered</c>, or
    /// <c>failed</c>/<c>undelivered</c> with an error code. Reports of earlier stages are ignored.
    /// Returns false when there is no such notification.
    /// </summary>
    Task<bool> ApplyDeliveryReportAsync(string providerStatus, string? errorCode);

    /// <summary>
    /// Applies a voice call's status callback. A call that ends without the contact confirming
    /// (busy, no answer, failed, hung up) passes the call tree to the next contact.
    /// Returns false when there is no such notification.
    /// </summary>
    Task<bool> ApplyCallStatusAsync(CallStatus status, string? errorCode);

    /// <summary>The digits the contact pressed during the call; "1" confirms they are going.</summary>
    Task<KeypressResult> ApplyKeypressAsync(string digits);
}

/// <summary>What a keypress during a call meant.</summary>
/// <param name="Outcome">Confirmed, not understood, or no such call.</param>
/// <param name="Twiml">What the call says next, in the contact's language (TwiML); empty for an unknown call.</param>
[GenerateSerializer, Immutable]
public sealed record KeypressResult([property: Id(0)] KeypressOutcome Outcome, [property: Id(1)] string Twiml);

/// <summary>What a keypress meant.</summary>
public enum KeypressOutcome
{
    /// <summary>The contact pressed 1: they are going. Recorded on the alarm and shown to the seat.</summary>
    Confirmed,

    /// <summary>Another key, or none.</summary>
    NotUnderstood,

    /// <summary>No voice notification with this id.</summary>
    UnknownCall,
}

/// <summary>How a notification reaches its contact.</summary>
public enum NotificationChannel
{
    /// <summary>A text message.</summary>
    Sms,

    /// <summary>A voice call that speaks the alarm and asks the contact to press 1.</summary>
    Voice,
}

/// <summary>A voice call's status as Twilio reports it (<c>CallStatus</c> of a status callback).</summary>
public enum CallStatus
{
    /// <summary>Twilio has taken the call and will place it.</summary>
    Queued,

    /// <summary>Twilio started dialling.</summary>
    Initiated,

    /// <summary>The contact's phone is ringing.</summary>
    Ringing,

    /// <summary>The contact answered; the call is going on.</summary>
    InProgress,

    /// <summary>The call was answered and has ended.</summary>
    Completed,

    /// <summary>The line was busy.</summary>
    Busy,

    /// <summary>Nobody answered.</summary>
    NoAnswer,

    /// <summary>The call could not be placed (bad number, carrier refused).</summary>
    Failed,

    /// <summary>The call was cancelled before it was answered.</summary>
    Canceled,
}

/// <summary>Twilio's words for call states.</summary>
public static class CallStatusWords
{
    /// <summary>Twilio's <c>in-progress</c>, <c>no-answer</c>… as a <see cref="CallStatus"/>; false for a word it never sends.</summary>
    public static bool TryParse(string? word, out CallStatus status) =>
        EnumNames.TryParseSnakeCase(word?.Replace('-', '_'), out status);

    /// <summary>True when the call is over.</summary>
    public static bool IsFinal(this CallStatus status) =>
        status is CallStatus.Completed or CallStatus.Busy or CallStatus.NoAnswer or CallStatus.Failed or CallStatus.Canceled;
}

/// <summary>Where a notification stands.</summary>
public enum NotificationStatus
{
    /// <summary>Waiting to be sent, or waiting for its next retry.</summary>
    Pending,

    /// <summary>The provider accepted it (a text), or placed it (a call, not yet over).</summary>
    Sent,

    /// <summary>The provider reported it delivered (status callback).</summary>
    Delivered,

    /// <summary>Given up after permanent error or too many retries, or reported undelivered.</summary>
    Failed,

    /// <summary>Not sent because no provider is configured; the reason is recorded.</summary>
    NotSent,

    /// <summary>A call waiting in the call tree behind an earlier contact.</summary>
    Waiting,

    /// <summary>A call that ended without the contact confirming: busy, no answer, or hung up.</summary>
    Unanswered,

    /// <summary>The contact confirmed they are going (pressed 1).</summary>
    Confirmed,

    /// <summary>A call not placed because an earlier contact of the tree confirmed.</summary>
    Skipped,
}
