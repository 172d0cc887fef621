namespace ElderIoT.Grains.Notifications.Twilio;

/// <summary>Twilio for texts and calls (section <c>Twilio</c>).</summary>
public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    /// <summary>The default API host; anything else (a mock in tests, a proxy) is reached by rewriting the library's requests.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.twilio.com");

    /// <summary>API base; a mock or an egress proxy in tests and special deployments.</summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Account SID (AC…), also the Basic-auth user name.</summary>
    public string? AccountSid { get; set; }

    /// <summary>Auth token: the Basic-auth password, and the key Twilio signs its webhooks with.</summary>
    public string? AuthToken { get; set; }

    /// <summary>Sender number, E.164; calls always come from it.</summary>
    public string? FromNumber { get; set; }

    /// <summary>A messaging service (MG…) to send texts from instead of <see cref="FromNumber"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>
    /// This centre's address as Twilio reaches it (https://centre.example): status callbacks, the
    /// call's keypress and replies come to paths under it, and their signatures are checked against it.
    /// Without it Twilio reports nothing back: texts stay "sent", and a call tree moves on only after
    /// <see cref="NotificationOptions.CallAnswerTimeout"/>.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Time allowed for one request before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call rings before Twilio gives up (no-answer), 5–600 s.</summary>
    public int RingSeconds { get; set; } = 30;

    /// <summary>True when enough is set to send.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken)
        && (!string.IsNullOrWhiteSpace(FromNumber) || !string.IsNullOrWhiteSpace(MessagingServiceSid));

    /// <summary>True when some but not all of the settings are there: a mistake worth failing the start for.</summary>
    public bool IsPartlyConfigured =>
        !IsConfigured && new[] { AccountSid, AuthToken, FromNumber, MessagingServiceSid }.Any(s => !string.IsNullOrWhiteSpace(s));
}
