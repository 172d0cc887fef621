using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Notifications.Twilio;

/// <summary>
/// Sends SMS through Twilio's REST API 2010-04-01 (<c>POST /Accounts/{sid}/Messages.json</c>, form
/// fields To, From or MessagingServiceSid, Body, StatusCallback; Basic auth). The Twilio package is
/// not available here, and the part we need is one form post.
/// </summary>
internal sealed partial class TwilioSmsSender : ISmsSender
{
    private readonly HttpClient _http;
    private readonly TwilioOptions _options;
    private readonly ILogger<TwilioSmsSender> _logger;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;

    public TwilioSmsSender(HttpClient http, IOptions<TwilioOptions> options, IMeterFactory meters, ILogger<TwilioSmsSender> logger)
    {
        _http = http;
        _options = options.Value;
        _logger = logger;
        var meter = meters.Create(SmsServiceCollectionExtensions.MeterName);
        _sent = meter.CreateCounter<long>("elderiot.sms.sent", description: "Messages Twilio accepted.");
        _failed = meter.CreateCounter<long>("elderiot.sms.failed", description: "Send attempts that failed, by kind (transient, permanent).");
    }

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUri())
        {
            Content = new FormUrlEncodedContent(Form(message)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.AccountSid}:{_options.AuthToken}")));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                var sid = ReadString(body, "sid");
                _sent.Add(1);
                LogSent(message.NotificationId, sid);
                return new SmsSendResult(SmsSendOutcome.Accepted, ProviderMessageId: sid);
            }

            var error = DescribeError(response.StatusCode, body);
            return IsTransient(response.StatusCode) ? Transient(message, error) : Permanent(message, error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Transient(message, $"Twilio did not answer within {_options.Timeout.TotalSeconds:0} s");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            // IOException: the connection dropped while the answer was being read.
            return Transient(message, $"Twilio unreachable: {exception.Message}");
        }
    }

    private Uri MessagesUri()
    {
        // Without a trailing slash a base with a path (a proxy at https://edge/twilio) would lose its last segment.
        var root = _options.BaseUrl.AbsoluteUri.EndsWith('/') ? _options.BaseUrl : new Uri(_options.BaseUrl.AbsoluteUri + "/");
        return new Uri(root, $"2010-04-01/Accounts/{Uri.EscapeDataString(_options.AccountSid!)}/Messages.json");
    }

    private List<KeyValuePair<string, string>> Form(SmsMessage message)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", message.To), new("Body", message.Body) };
        form.Add(string.IsNullOrWhiteSpace(_options.MessagingServiceSid)
            ? new("From", _options.FromNumber!)
            : new("MessagingServiceSid", _options.MessagingServiceSid));
        if (_options.StatusCallbackUrl is { } callback)
        {
            form.Add(new("StatusCallback", CallbackFor(callback, message.NotificationId)));
        }

        return form;
    }

    /// <summary>The configured callback with our notification id added to whatever query it already has.</summary>
    private static string CallbackFor(Uri callback, Guid notificationId)
    {
        var builder = new UriBuilder(callback);
        var parameter = $"notificationId={Uri.EscapeDataString(notificationId.ToString("D"))}";
        builder.Query = builder.Query.Length > 1 ? $"{builder.Query[1..]}&{parameter}" : parameter;
        return builder.Uri.AbsoluteUri;
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Twilio's error body: {"code": 21211, "message": "...", "more_info": "...", "status": 400}.</summary>
    private static string DescribeError(HttpStatusCode status, string body)
    {
        var code = ReadString(body, "code");
        var text = ReadString(body, "message");
        return code is null && text is null
            ? $"Twilio answered HTTP {(int)status}"
            : $"Twilio {code ?? ((int)status).ToString()}: {text ?? "no message"} (HTTP {(int)status})";
    }

    private static string? ReadString(string body, string property)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(property, out var value)
                ? value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    _ => null,
                }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private SmsSendResult Transient(SmsMessage message, string error)
    {
        _failed.Add(1, new KeyValuePair<string, object?>("kind", "transient"));
        LogFailed(message.NotificationId, "transient", error);
        return new SmsSendResult(SmsSendOutcome.TransientFailure, Error: error);
    }

    private SmsSendResult Permanent(SmsMessage message, string error)
    {
        _failed.Add(1, new KeyValuePair<string, object?>("kind", "permanent"));
        LogFailed(message.NotificationId, "permanent", error);
        return new SmsSendResult(SmsSendOutcome.PermanentFailure, Error: error);
    }

    [LoggerMessage(2101, LogLevel.Information, "SMS of notification {NotificationId} accepted by Twilio as {Sid}")]
    private partial void LogSent(Guid notificationId, string? sid);

    [LoggerMessage(2102, LogLevel.Warning, "SMS of notification {NotificationId} failed ({Kind}): {Error}")]
    private partial void LogFailed(Guid notificationId, string kind, string error);
}
