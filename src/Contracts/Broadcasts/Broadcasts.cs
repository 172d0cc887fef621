using ElderIoT.Contracts.Notifications;

namespace ElderIoT.Contracts.Broadcasts;

/// <summary>
/// Who a care broadcast (主动关怀: a weather warning, a health tip) goes to: elders under a district
/// prefix, in an age range, of some care levels, with some conditions. Empty criteria match all.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BroadcastAudience(
    [property: Id(0)] string? DistrictPrefix,
    [property: Id(1)] int? MinAge,
    [property: Id(2)] int? MaxAge,
    [property: Id(3)] IReadOnlyList<string> CareLevels,
    [property: Id(4)] IReadOnlyList<string> Conditions);

/// <summary>How many elders an audience holds and how many of them a broadcast would reach.</summary>
/// <param name="Matching">Elders the criteria select.</param>
/// <param name="WillReceive">Those with consent to care messages, not opted out, with a phone number.</param>
/// <param name="NoConsent">Never asked, or said no from the start: never messaged.</param>
/// <param name="OptedOut">Withdrew a consent once given: never messaged again until they give it anew.</param>
/// <param name="NoPhone">No number of their own on the record.</param>
[GenerateSerializer, Immutable]
public sealed record BroadcastAudienceCount(
    [property: Id(0)] int Matching,
    [property: Id(1)] int WillReceive,
    [property: Id(2)] int NoConsent,
    [property: Id(3)] int OptedOut,
    [property: Id(4)] int NoPhone);

/// <summary>Where a broadcast stands.</summary>
public enum BroadcastStatus
{
    /// <summary>Messages are going out at the bounded rate.</summary>
    Sending,

    /// <summary>Every message was handed to the provider or failed for good.</summary>
    Done,
}

/// <summary>What became of one elder's message of a broadcast.</summary>
public enum BroadcastMessageStatus
{
    /// <summary>Not yet sent.</summary>
    Pending,

    /// <summary>The provider took it.</summary>
    Sent,

    /// <summary>The provider refused it, or kept failing.</summary>
    Failed,

    /// <summary>No provider is configured, or the elder opted out before their turn came.</summary>
    NotSent,

    /// <summary>A call: answered, and the message was said (Twilio's <c>completed</c>).</summary>
    Completed,

    /// <summary>A call: the line was busy.</summary>
    Busy,

    /// <summary>A call: nobody answered.</summary>
    NoAnswer,
}

/// <summary>A broadcast and how far it has gone.</summary>
[GenerateSerializer, Immutable]
public sealed record BroadcastSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Text,
    [property: Id(2)] BroadcastAudience Audience,
    [property: Id(3)] BroadcastStatus Status,
    [property: Id(4)] int Recipients,
    [property: Id(5)] int Sent,
    [property: Id(6)] int Failed,
    [property: Id(7)] int NotSent,
    [property: Id(8)] string CreatedBy,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset? FinishedAt,
    [property: Id(11)] NotificationChannel Channel,
    [property: Id(12)] int Completed,
    [property: Id(13)] int Busy,
    [property: Id(14)] int NoAnswer)
{
    /// <summary>Each recipient's message and how it went; only on a read of one broadcast (null in lists).</summary>
    [Id(15)]
    public IReadOnlyList<BroadcastRecipient>? Messages { get; init; }
}

/// <summary>One elder's message of a broadcast: a text, or a call and what became of it.</summary>
/// <param name="Id">The message's id: a call's status callbacks name it.</param>
/// <param name="ProviderStatus">Twilio's last word on a call (ringing, completed, busy, no_answer…).</param>
/// <param name="Error">Why it was not sent or failed.</param>
[GenerateSerializer, Immutable]
public sealed record BroadcastRecipient(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid ElderId,
    [property: Id(2)] string Phone,
    [property: Id(3)] string Language,
    [property: Id(4)] BroadcastMessageStatus Status,
    [property: Id(5)] string? ProviderStatus,
    [property: Id(6)] string? Error,
    [property: Id(7)] DateTimeOffset? SentAt);

/// <summary>How long a broadcast's text may be, by channel: the one rule the preview, the start and the grain share.</summary>
public static class BroadcastTexts
{
    /// <summary>A text message: a few SMS segments at most.</summary>
    public const int MaxSmsLength = 500;

    /// <summary>
    /// A call says the message twice; 300 characters is about a minute of Chinese speech each time,
    /// as long as an elder on the phone follows. It also keeps the call's TwiML (the text twice, even
    /// with every character escaped as an XML entity) under Twilio's 4,000-character limit of an
    /// inline <c>Twiml</c>.
    /// </summary>
    public const int MaxVoiceLength = 300;

    /// <summary>The longest text the channel takes.</summary>
    public static int MaxLength(NotificationChannel channel) => channel == NotificationChannel.Voice ? MaxVoiceLength : MaxSmsLength;
}

/// <summary>
/// One care broadcast, keyed by its id: the single writer of the broadcast and its messages. It
/// sends at a bounded rate, so a city-wide warning does not trip the provider's limits, and resumes
/// where it stopped after a restart.
/// </summary>
public interface IBroadcastGrain : IGrainWithGuidKey
{
    /// <summary>Selects the audience, records one pending message (a text or a call) per recipient, and starts sending.</summary>
    Task<BroadcastSnapshot> StartAsync(string text, NotificationChannel channel, BroadcastAudience audience, string createdBy);

    /// <summary>
    /// A call's status callback for one of its messages: a final status (completed, busy, no-answer,
    /// failed, canceled) settles the message; earlier ones are only noted. False when the message is
    /// not one of this broadcast's.
    /// </summary>
    Task<bool> ApplyCallStatusAsync(long messageId, CallStatus status, string? errorCode);

    /// <summary>Goes on sending what is pending (after a restart); a no-op when done.</summary>
    Task ResumeAsync();

    /// <summary>The broadcast, or null when there is none with this id.</summary>
    Task<BroadcastSnapshot?> GetAsync();
}

/// <summary>The audience is larger than one broadcast may be (Broadcasts:MaxRecipients).</summary>
[GenerateSerializer]
public sealed class BroadcastTooLargeException(int recipients, int max)
    : Exception($"The broadcast would reach {recipients} elders; at most {max} may be reached at once.")
{
    [Id(0)] public int Recipients { get; } = recipients;
    [Id(1)] public int Max { get; } = max;
}
