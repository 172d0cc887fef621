using System.Security.Cryptography;
using System.Text;
using ElderIoT.Contracts.Notifications;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// Posts Twilio's webhooks to a node as Twilio would: a form, signed with Twilio's documented
/// algorithm over the public URL Twilio was given (TwilioSignatureTests checks this signer against
/// the library's own RequestValidator). Prism never calls back, so the tests play Twilio's part.
/// </summary>
internal sealed class TwilioWebhookClient(HttpClient http, string authToken, Uri publicBaseUrl)
{
    /// <summary>base64(HMAC-SHA1(auth token, URL + each form field's name and value, in name order)).</summary>
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    public Task<HttpResponseMessage> SmsStatusAsync(Guid notificationId, string status, string? errorCode = null, string? signature = null)
    {
        var fields = new Dictionary<string, string> { ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["MessageStatus"] = status, ["AccountSid"] = PrismMock.AccountSid };
        if (errorCode is not null)
        {
            fields["ErrorCode"] = errorCode;
        }

        return PostAsync(TwilioWebhooks.SmsStatus, notificationId, fields, signature);
    }

    /// <summary>A call's status callback; <paramref name="status"/> in Twilio's words (ringing, in-progress, no-answer…).</summary>
    public Task<HttpResponseMessage> CallStatusAsync(Guid notificationId, string status, string? signature = null) =>
        PostAsync(TwilioWebhooks.CallStatus, notificationId, new()
        {
            ["CallSid"] = "CA" + Guid.NewGuid().ToString("N"),
            ["CallStatus"] = status,
            ["AccountSid"] = PrismMock.AccountSid,
            ["Direction"] = "outbound-api",
        }, signature);

    /// <summary>A care broadcast call's status callback, to the URL the node gave Twilio for that message.</summary>
    public Task<HttpResponseMessage> CareCallStatusAsync(Guid broadcastId, long messageId, string status, string? errorCode = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["CallSid"] = "CA" + Guid.NewGuid().ToString("N"),
            ["CallStatus"] = status,
            ["AccountSid"] = PrismMock.AccountSid,
            ["Direction"] = "outbound-api",
        };
        if (errorCode is not null)
        {
            fields["ErrorCode"] = errorCode;
        }

        return PostToAsync(TwilioWebhooks.CareCallUrl(publicBaseUrl, broadcastId, messageId), fields);
    }

    public Task<HttpResponseMessage> GatherAsync(Guid notificationId, string digits, string? signature = null) =>
        PostAsync(TwilioWebhooks.Gather, notificationId, new()
        {
            ["CallSid"] = "CA" + Guid.NewGuid().ToString("N"),
            ["Digits"] = digits,
            ["AccountSid"] = PrismMock.AccountSid,
        }, signature);

    public Task<HttpResponseMessage> InboundAsync(string from, string body, string? signature = null) =>
        PostAsync(TwilioWebhooks.Inbound, null, new()
        {
            ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
            ["From"] = from,
            ["To"] = "+15005550006",
            ["Body"] = body,
            ["AccountSid"] = PrismMock.AccountSid,
        }, signature);

    /// <summary>Posts a signed form to the node's path of <paramref name="publicUrl"/> (a URL under the public base, with its query).</summary>
    public async Task<HttpResponseMessage> PostToAsync(Uri publicUrl, Dictionary<string, string> fields)
    {
        var relative = publicUrl.AbsoluteUri[TwilioWebhooks.Url(publicBaseUrl, "").AbsoluteUri.Length..];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + relative) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", Sign(authToken, publicUrl.AbsoluteUri, fields));
        return await http.SendAsync(request);
    }

    /// <summary>Posts a form to the webhook; <paramref name="signature"/> "" sends none, null signs it rightly.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, Guid? notificationId, Dictionary<string, string> fields, string? signature = null)
    {
        var query = notificationId is { } id ? $"?notificationId={id:D}" : "";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + path + query) { Content = new FormUrlEncodedContent(fields) };
        signature ??= Sign(authToken, TwilioWebhooks.Url(publicBaseUrl, path, notificationId).AbsoluteUri, fields);
        if (signature.Length > 0)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        return await http.SendAsync(request);
    }
}
