namespace ElderIoT.Contracts.Notifications;

/// <summary>
/// Where Twilio calls ElderIoT back: one place for the notifier that hands these URLs to Twilio and
/// the endpoints that verify Twilio's signature over the very same URLs.
/// </summary>
public static class TwilioWebhooks
{
    /// <summary>A text's delivery report (StatusCallback of a message), with <c>?notificationId=</c>.</summary>
    public const string SmsStatus = "api/notifications/twilio-status";

    /// <summary>A call's status callbacks (initiated, ringing, answered, completed), with <c>?notificationId=</c>.</summary>
    public const string CallStatus = "api/notifications/twilio-call-status";

    /// <summary>The key the contact pressed during a call (TwiML Gather action), with <c>?notificationId=</c>.</summary>
    public const string Gather = "api/notifications/twilio-gather";

    /// <summary>A text someone sent to the centre's number (the number's incoming message webhook).</summary>
    public const string Inbound = "api/notifications/twilio-inbound";

    /// <summary>A care broadcast call's final status, with <c>?broadcastId=&amp;messageId=</c>.</summary>
    public const string CareCallStatus = "api/notifications/twilio-care-call-status";

    /// <summary>The public URL of <paramref name="path"/> under <paramref name="publicBaseUrl"/>, for one notification when given.</summary>
    public static Uri Url(Uri publicBaseUrl, string path, Guid? notificationId = null)
    {
        // Without a trailing slash a base with a path (https://edge/elderiot) would lose its last segment.
        var root = publicBaseUrl.AbsoluteUri.EndsWith('/') ? publicBaseUrl : new Uri(publicBaseUrl.AbsoluteUri + "/");
        var url = new Uri(root, path);
        return notificationId is { } id ? new Uri($"{url.AbsoluteUri}?notificationId={id:D}") : url;
    }

    /// <summary>Where Twilio reports the status of one care broadcast's call to one elder.</summary>
    public static Uri CareCallUrl(Uri publicBaseUrl, Guid broadcastId, long messageId) =>
        new($"{Url(publicBaseUrl, CareCallStatus).AbsoluteUri}?broadcastId={broadcastId:D}&messageId={messageId.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
