namespace ElderIoT.Grains.Notifications.Twilio;

/// <summary>Twilio's REST API for SMS (section <c>Twilio</c>).</summary>
public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    /// <summary>API base; a mock or a regional edge in tests and special deployments.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>Account SID (AC…), also the Basic-auth user name.</summary>
    public string? AccountSid { get; set; }

    /// <summary>Auth token, the Basic-auth password.</summary>
    public string? AuthToken { get; set; }

    /// <summary>Sender number, E.164.</summary>
    public string? FromNumber { get; set; }

    /// <summary>A messaging service (MG…) to send from instead of <see cref="FromNumber"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>Absolute URL Twilio reports delivery to; our notification id is added as a query parameter.</summary>
    public Uri? StatusCallbackUrl { get; set; }

    /// <summary>Time allowed for one request before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when enough is set to send.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken)
        && (!string.IsNullOrWhiteSpace(FromNumber) || !string.IsNullOrWhiteSpace(MessagingServiceSid));

    /// <summary>True when some but not all of the settings are there: a mistake worth failing the start for.</summary>
    public bool IsPartlyConfigured =>
        !IsConfigured && new[] { AccountSid, AuthToken, FromNumber, MessagingServiceSid }.Any(s => !string.IsNullOrWhiteSpace(s));
}
