namespace ElderIoT.Grains.Notifications;

/// <summary>
/// Reaches a family contact through a provider: a text, or a call that speaks and asks to press 1.
/// Implementations classify failures; they never throw for provider errors.
/// </summary>
public interface IFamilyNotifier
{
    /// <summary>Hands one text to the provider.</summary>
    Task<SendResult> SendSmsAsync(SmsMessage message, CancellationToken cancellationToken);

    /// <summary>Asks the provider to place one call; how it went arrives later as status callbacks.</summary>
    Task<SendResult> CallAsync(VoiceCall call, CancellationToken cancellationToken);
}

/// <summary>One text message.</summary>
/// <param name="To">Recipient, E.164 (+8613800000000).</param>
/// <param name="Body">The text.</param>
/// <param name="NotificationId">Our notification id, so that delivery callbacks can be matched.</param>
public sealed record SmsMessage(string To, string Body, Guid NotificationId);

/// <summary>One voice call.</summary>
/// <param name="To">Recipient, E.164.</param>
/// <param name="Speech">What the call says: for an alarm, ending with the question to press 1; for a care message, the message.</param>
/// <param name="Language">The contact's language (zh-CN, en): the voice the words are said in.</param>
/// <param name="NotificationId">Our notification id, so that status callbacks and the keypress can be matched.</param>
/// <param name="CareMessage">Set for a care broadcast's call to an elder: it only speaks (twice, no key asked), and its status is reported for this broadcast message.</param>
public sealed record VoiceCall(string To, string Speech, string Language, Guid NotificationId, CareCall? CareMessage = null);

/// <summary>Which care broadcast message a call says: its status callbacks name it.</summary>
public sealed record CareCall(Guid BroadcastId, long MessageId);

/// <summary>What the provider said.</summary>
/// <param name="Outcome">Accepted, or how it failed.</param>
/// <param name="ProviderId">The provider's id for the message or call (Twilio's SID) when accepted.</param>
/// <param name="Error">Why it failed, for the record and the log.</param>
public sealed record SendResult(SendOutcome Outcome, string? ProviderId = null, string? Error = null);

/// <summary>How a send attempt ended.</summary>
public enum SendOutcome
{
    /// <summary>The provider took the message or call.</summary>
    Accepted,

    /// <summary>Worth retrying: timeout, network error, 429, 5xx.</summary>
    TransientFailure,

    /// <summary>Retrying will not help: bad number, bad credentials, other 4xx.</summary>
    PermanentFailure,

    /// <summary>No provider is configured; nothing was sent.</summary>
    NotConfigured,
}
