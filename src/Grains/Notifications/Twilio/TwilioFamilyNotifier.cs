using System.Diagnostics.Metrics;
using System.Net;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace ElderIoT.Grains.Notifications.Twilio;

/// <summary>
/// Texts and calls through Twilio's own library (<see cref="MessageResource"/>, <see cref="CallResource"/>),
/// over our <see cref="System.Net.Http.HttpClient"/> (its timeout, and in tests its base address), and
/// sorts what Twilio answers into what is worth retrying.
/// </summary>
internal sealed partial class TwilioFamilyNotifier : IFamilyNotifier
{
    private readonly System.Net.Http.HttpClient _http;
    private readonly TwilioOptions _options;
    private readonly ILogger<TwilioFamilyNotifier> _logger;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;

    public TwilioFamilyNotifier(System.Net.Http.HttpClient http, IOptions<TwilioOptions> options, IMeterFactory meters, ILogger<TwilioFamilyNotifier> logger)
    {
        _http = http;
        _options = options.Value;
        _logger = logger;
        var meter = meters.Create(FamilyNotifierServiceCollectionExtensions.MeterName);
        _sent = meter.CreateCounter<long>("elderiot.notifications.sent", description: "Texts and calls Twilio accepted, by channel (sms, voice).");
        _failed = meter.CreateCounter<long>("elderiot.notifications.failed", description: "Send attempts that failed, by channel and kind (transient, permanent).");
    }

    public Task<SendResult> SendSmsAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var create = new CreateMessageOptions(new PhoneNumber(message.To)) { Body = message.Body };
        if (string.IsNullOrWhiteSpace(_options.MessagingServiceSid))
        {
            create.From = new PhoneNumber(_options.FromNumber);
        }
        else
        {
            create.MessagingServiceSid = _options.MessagingServiceSid;
        }

        create.StatusCallback = Webhook(TwilioWebhooks.SmsStatus, message.NotificationId);
        return SendAsync(NotificationChannel.Sms, message.NotificationId, async client => (await MessageResource.CreateAsync(create, client)).Sid, cancellationToken);
    }

    public Task<SendResult> CallAsync(VoiceCall call, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_options.FromNumber))
        {
            // A messaging service sends texts only; a call needs a number to come from.
            return Task.FromResult(Failed(NotificationChannel.Voice, call.NotificationId, "permanent",
                new SendResult(SendOutcome.PermanentFailure, Error: "a call needs Twilio:FromNumber (a messaging service only sends texts)")));
        }

        if (call.CareMessage is { } care)
        {
            return CareCallAsync(call, care, cancellationToken);
        }

        var create = new CreateCallOptions(new PhoneNumber(call.To), new PhoneNumber(_options.FromNumber))
        {
            Twiml = new Twiml(CallScript.Ask(call.Speech, call.Language, Webhook(TwilioWebhooks.Gather, call.NotificationId))),
            Timeout = _options.RingSeconds,
        };
        if (Webhook(TwilioWebhooks.CallStatus, call.NotificationId) is { } callback)
        {
            create.StatusCallback = callback;
            create.StatusCallbackMethod = global::Twilio.Http.HttpMethod.Post;
            create.StatusCallbackEvent = ["initiated", "ringing", "answered", "completed"];
        }

        return SendAsync(NotificationChannel.Voice, call.NotificationId, async client => (await CallResource.CreateAsync(create, client)).Sid, cancellationToken);
    }

    private Task<SendResult> CareCallAsync(VoiceCall call, CareCall care, CancellationToken cancellationToken)
    {
        var create = new CreateCallOptions(new PhoneNumber(call.To), new PhoneNumber(_options.FromNumber))
        {
            Twiml = new Twiml(CallScript.SayTwice(call.Speech, call.Language)),
            Timeout = _options.RingSeconds,
        };
        if (_options.PublicBaseUrl is { } root)
        {
            // No StatusCallbackEvent: Twilio then reports only the end (completed, busy, no-answer,
            // failed), which is all a care call records; a city-wide broadcast need not post four
            // callbacks per elder.
            create.StatusCallback = TwilioWebhooks.CareCallUrl(root, care.BroadcastId, care.MessageId);
            create.StatusCallbackMethod = global::Twilio.Http.HttpMethod.Post;
        }

        return SendAsync(NotificationChannel.Voice, call.NotificationId, async client => (await CallResource.CreateAsync(create, client)).Sid, cancellationToken);
    }

    private Uri? Webhook(string path, Guid notificationId) =>
        _options.PublicBaseUrl is { } root ? TwilioWebhooks.Url(root, path, notificationId) : null;

    private async Task<SendResult> SendAsync(NotificationChannel channel, Guid notificationId, Func<ITwilioRestClient, Task<string>> create, CancellationToken cancellationToken)
    {
        // A client per request, so that its LastResponse is this request's: the library keeps only a
        // status it could read a Twilio error body from, and a proxy's 503 has none.
        var exchange = new SystemNetHttpClient(_http);
        var client = new TwilioRestClient(_options.AccountSid, _options.AuthToken, _options.AccountSid, httpClient: exchange);
        try
        {
            var sid = await create(client).WaitAsync(cancellationToken);
            _sent.Add(1, new KeyValuePair<string, object?>("channel", channel.ToSnakeCase()));
            LogSent(channel, notificationId, sid);
            return new SendResult(SendOutcome.Accepted, ProviderId: sid);
        }
        catch (ApiConnectionException exception)
        {
            var cause = exception.InnerException?.GetBaseException() ?? exception;
            var error = cause is TaskCanceledException or TimeoutException
                ? $"Twilio did not answer within {_options.Timeout.TotalSeconds:0} s"
                : $"Twilio unreachable: {cause.Message}";
            return Failed(channel, notificationId, "transient", new SendResult(SendOutcome.TransientFailure, Error: error));
        }
        catch (ApiException exception)
        {
            var status = exception.Status != 0 ? (HttpStatusCode)exception.Status : exchange.LastResponse?.StatusCode ?? 0;
            var error = exception.Code != 0
                ? $"Twilio {exception.Code}: {exception.Message} (HTTP {(int)status})"
                : $"Twilio answered HTTP {(int)status}";
            return IsTransient(status)
                ? Failed(channel, notificationId, "transient", new SendResult(SendOutcome.TransientFailure, Error: error))
                : Failed(channel, notificationId, "permanent", new SendResult(SendOutcome.PermanentFailure, Error: error));
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private SendResult Failed(NotificationChannel channel, Guid notificationId, string kind, SendResult result)
    {
        _failed.Add(1, new KeyValuePair<string, object?>("channel", channel.ToSnakeCase()), new KeyValuePair<string, object?>("kind", kind));
        LogFailed(channel, notificationId, kind, result.Error);
        return result;
    }

    [LoggerMessage(2101, LogLevel.Information, "{Channel} of notification {NotificationId} accepted by Twilio as {Sid}")]
    private partial void LogSent(NotificationChannel channel, Guid notificationId, string? sid);

    [LoggerMessage(2102, LogLevel.Warning, "{Channel} of notification {NotificationId} failed ({Kind}): {Error}")]
    private partial void LogFailed(NotificationChannel channel, Guid notificationId, string kind, string? error);
}
