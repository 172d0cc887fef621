namespace ElderIoT.Grains.Notifications;

/// <summary>Sends one SMS through a provider. Implementations classify failures; they never throw for provider errors.</summary>
public interface ISmsSender
{
    /// <summary>Hands one message to the provider.</summary>
    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken);
}

/// <summary>One text message.</summary>
/// <param name="To">Recipient, E.164 (+8613800000000).</param>
/// <param name="Body">The text.</param>
/// <param name="NotificationId">Our notification id, so that delivery callbacks can be matched.</param>
public sealed record SmsMessage(string To, string Body, Guid NotificationId);

/// <summary>What the provider said.</summary>
/// <param name="Outcome">Accepted, or how it failed.</param>
/// <param name="ProviderMessageId">The provider's id for the message (Twilio's SID) when accepted.</param>
/// <param name="Error">Why it failed, for the record and the log.</param>
public sealed record SmsSendResult(SmsSendOutcome Outcome, string? ProviderMessageId = null, string? Error = null);

/// <summary>How a send attempt ended.</summary>
public enum SmsSendOutcome
{
    /// <summary>The provider took the message.</summary>
    Accepted,

    /// <summary>Worth retrying: timeout, network error, 429, 5xx.</summary>
    TransientFailure,

    /// <summary>Retrying will not help: bad number, bad credentials, other 4xx.</summary>
    PermanentFailure,

    /// <summary>No provider is configured; nothing was sent.</summary>
    NotConfigured,
}
