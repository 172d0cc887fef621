using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using ElderIoT.Grains.Notifications;
using ElderIoT.Grains.Notifications.Twilio;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Notifications;

/// <summary>The Twilio adapter against a scripted HTTP handler: what it sends, and how it reads every answer.</summary>
public sealed class TwilioSmsSenderTests
{
    private static readonly SmsMessage Message = new("+8613800000000", "【ElderIoT】测试 & test", Guid.Parse("11111111-2222-3333-4444-555555555555"));

    [Fact]
    public async Task ItPostsTheFormWithBasicAuthAndReadsTheSid()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, """{"sid":"SM123","status":"queued"}""");
        var sender = Sender(handler, o => o.StatusCallbackUrl = new Uri("https://centre.example/api/notifications/twilio-status"));

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(new SmsSendResult(SmsSendOutcome.Accepted, "SM123"), result);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.twilio.test/2010-04-01/Accounts/AC1/Messages.json", request.Uri);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC1:token")), request.Authorization);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(new[] { "Body", "From", "StatusCallback", "To" }, request.Form.Keys.Order());
        Assert.Equal("+8613800000000", request.Form["To"]);
        Assert.Equal("+15005550006", request.Form["From"]);
        Assert.Equal(Message.Body, request.Form["Body"]);
        Assert.Equal("https://centre.example/api/notifications/twilio-status?notificationId=11111111-2222-3333-4444-555555555555", request.Form["StatusCallback"]);
    }

    [Fact]
    public async Task ACallbackThatAlreadyHasAQueryKeepsIt()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, """{"sid":"SM1"}""");

        await Sender(handler, o => o.StatusCallbackUrl = new Uri("https://centre.example:8443/twilio-status?site=sh%20north#ignored"))
            .SendAsync(Message, CancellationToken.None);

        Assert.Equal(
            "https://centre.example:8443/twilio-status?site=sh%20north&notificationId=11111111-2222-3333-4444-555555555555#ignored",
            Assert.Single(handler.Requests).Form["StatusCallback"]);
    }

    [Fact]
    public async Task ABaseUrlWithAPathKeepsItsPath()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, """{"sid":"SM1"}""");

        await Sender(handler, baseUrl: new Uri("https://edge.example/twilio")).SendAsync(Message, CancellationToken.None);

        Assert.Equal("https://edge.example/twilio/2010-04-01/Accounts/AC1/Messages.json", Assert.Single(handler.Requests).Uri);
    }

    [Fact]
    public async Task AMessagingServiceReplacesTheFromNumber()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, """{"sid":"SM1"}""");

        await Sender(handler, o => o.MessagingServiceSid = "MG1").SendAsync(Message, CancellationToken.None);

        var form = Assert.Single(handler.Requests).Form;
        Assert.Equal("MG1", form["MessagingServiceSid"]);
        Assert.False(form.ContainsKey("From"));
        Assert.False(form.ContainsKey("StatusCallback"));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task ServerErrorsAndThrottlingAreTransient(HttpStatusCode status)
    {
        var result = await Sender(new ScriptedHandler(status, "")).SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.TransientFailure, result.Outcome);
        Assert.Contains($"HTTP {(int)status}", result.Error);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task OtherClientErrorsArePermanent(HttpStatusCode status)
    {
        var result = await Sender(new ScriptedHandler(status, "not json")).SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.PermanentFailure, result.Outcome);
        Assert.Equal($"Twilio answered HTTP {(int)status}", result.Error);
    }

    [Fact]
    public async Task TwilioErrorCodeAndMessageAreKept()
    {
        var body = """{"code":21211,"message":"The 'To' number +86 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}""";

        var result = await Sender(new ScriptedHandler(HttpStatusCode.BadRequest, body)).SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.PermanentFailure, result.Outcome);
        Assert.Equal("Twilio 21211: The 'To' number +86 is not a valid phone number. (HTTP 400)", result.Error);
    }

    [Fact]
    public async Task AnUnreachableProviderIsTransient()
    {
        var result = await Sender(new ScriptedHandler(new HttpRequestException("connection refused"))).SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.TransientFailure, result.Outcome);
        Assert.Contains("connection refused", result.Error);
    }

    [Fact]
    public async Task AProviderSlowerThanTheConfiguredTimeoutIsTransient()
    {
        var result = await Sender(ScriptedHandler.Hanging(), o => o.Timeout = TimeSpan.FromMilliseconds(50))
            .SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.TransientFailure, result.Outcome);
        Assert.Contains("did not answer", result.Error);
    }

    [Fact]
    public async Task TheHttpClientsOwnTimeoutIsTransient()
    {
        // The client's timeout surfaces as a TaskCanceledException although nobody cancelled the caller's token.
        var http = new HttpClient(ScriptedHandler.Hanging()) { Timeout = TimeSpan.FromMilliseconds(50) };

        var result = await Sender(http).SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.TransientFailure, result.Outcome);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotSwallowed()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Sender(ScriptedHandler.Hanging()).SendAsync(Message, cancelled.Token));
    }

    [Fact]
    public async Task CancellingWhileTwilioIsThinkingPropagates()
    {
        var handler = ScriptedHandler.Hanging();
        using var caller = new CancellationTokenSource();
        var sending = Sender(handler).SendAsync(Message, caller.Token);

        await handler.Arrived;
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    [Fact]
    public async Task SentAndFailedAreCountedByKind()
    {
        using var meters = new RecordingMeters();
        var counted = new List<(string Instrument, long Value, string? Kind)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (meters.Created.Contains(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var kind = tags.ToArray().Where(t => t.Key == "kind").Select(t => t.Value as string).FirstOrDefault();
            lock (counted)
            {
                counted.Add((instrument.Name, value, kind));
            }
        });
        listener.Start();

        await Sender(new ScriptedHandler(HttpStatusCode.Created, """{"sid":"SM1"}"""), meters: meters).SendAsync(Message, CancellationToken.None);
        await Sender(new ScriptedHandler(HttpStatusCode.ServiceUnavailable, ""), meters: meters).SendAsync(Message, CancellationToken.None);
        await Sender(new ScriptedHandler(HttpStatusCode.BadRequest, ""), meters: meters).SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsServiceCollectionExtensions.MeterName, Assert.Single(meters.Created.Select(m => m.Name).Distinct()));
        Assert.Equal(
            new (string, long, string?)[] { ("elderiot.sms.sent", 1, null), ("elderiot.sms.failed", 1, "transient"), ("elderiot.sms.failed", 1, "permanent") },
            counted);
    }

    [Fact]
    public async Task WithoutSettingsNothingIsSentAndTheWarningIsLoggedOnce()
    {
        var logs = new CollectingLoggerProvider();
        using var loggers = new LoggerFactory([logs]);
        var sender = new NotConfiguredSmsSender(loggers.CreateLogger<NotConfiguredSmsSender>());

        var first = await sender.SendAsync(Message, CancellationToken.None);
        var second = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(new SmsSendResult(SmsSendOutcome.NotConfigured, Error: "Twilio is not configured (Twilio:AccountSid, Twilio:AuthToken, Twilio:FromNumber)"), first);
        Assert.Equal(first, second);
        Assert.Equal(LogLevel.Warning, Assert.Single(logs.Entries).Level);
    }

    [Fact]
    public void HalfASetupIsNotConfiguredButPartlyConfigured()
    {
        var half = new TwilioOptions { AccountSid = "AC1" };

        Assert.False(half.IsConfigured);
        Assert.True(half.IsPartlyConfigured);
        Assert.False(new TwilioOptions().IsPartlyConfigured);
        Assert.True(new TwilioOptions { AccountSid = "AC1", AuthToken = "t", MessagingServiceSid = "MG1" }.IsConfigured);
    }

    [Fact]
    public void ACompleteSetupSendsThroughTwilio()
    {
        using var services = Registered(new()
        {
            ["Twilio:AccountSid"] = "AC1",
            ["Twilio:AuthToken"] = "token",
            ["Twilio:FromNumber"] = "+15005550006",
            ["Twilio:StatusCallbackUrl"] = "https://centre.example/twilio-status",
        });

        Assert.IsType<TwilioSmsSender>(services.GetRequiredService<ISmsSender>());
    }

    [Fact]
    public void WithoutSettingsTheNotConfiguredSenderIsUsed()
    {
        using var services = Registered(new());

        Assert.IsType<NotConfiguredSmsSender>(services.GetRequiredService<ISmsSender>());
    }

    [Theory]
    [InlineData("Twilio:AccountSid", "AC1", "partly configured")]
    [InlineData("Twilio:BaseUrl", "/relative", "Twilio:BaseUrl must be an absolute http(s) URL")]
    [InlineData("Twilio:StatusCallbackUrl", "twilio-status", "Twilio:StatusCallbackUrl must be an absolute http(s) URL")]
    public void AMistakenSetupIsRefusedWithTheReason(string key, string value, string reason)
    {
        using var services = Registered(new() { [key] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TwilioOptions>>().Value);

        Assert.Contains(reason, refused.Message);
    }

    internal static TwilioSmsSender Sender(
        HttpMessageHandler handler, Action<TwilioOptions>? configure = null, Uri? baseUrl = null, string accountSid = "AC1", IMeterFactory? meters = null) =>
        Sender(new HttpClient(handler), configure, baseUrl, accountSid, meters);

    internal static TwilioSmsSender Sender(
        HttpClient http, Action<TwilioOptions>? configure = null, Uri? baseUrl = null, string accountSid = "AC1", IMeterFactory? meters = null)
    {
        var options = new TwilioOptions
        {
            BaseUrl = baseUrl ?? new Uri("https://api.twilio.test"),
            AccountSid = accountSid,
            AuthToken = "token",
            FromNumber = "+15005550006",
        };
        configure?.Invoke(options);
        return new TwilioSmsSender(http, Options.Create(options), meters ?? new TestMeters(), NullLogger<TwilioSmsSender>.Instance);
    }

    private static ServiceProvider Registered(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddElderIoTSms()
            .BuildServiceProvider();

    private sealed class RecordingMeters : IMeterFactory
    {
        public List<Meter> Created { get; } = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            Created.Add(meter);
            return meter;
        }

        public void Dispose() => Created.ForEach(m => m.Dispose());
    }

    private sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly HttpStatusCode _status;
        private readonly string _body;
        private readonly Exception? _throw;
        private readonly bool _hang;
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ScriptedHandler(HttpStatusCode status, string body)
        {
            _status = status;
            _body = body;
        }

        public ScriptedHandler(Exception exception)
            : this(HttpStatusCode.OK, "") => _throw = exception;

        private ScriptedHandler(bool hang)
            : this(HttpStatusCode.Created, "{}") => _hang = hang;

        /// <summary>Never answers: only a cancellation ends the request.</summary>
        public static ScriptedHandler Hanging() => new(hang: true);

        public List<Recorded> Requests { get; } = [];

        /// <summary>Completes when a request has reached the handler.</summary>
        public Task Arrived => _arrived.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = (await request.Content!.ReadAsStringAsync(cancellationToken)).Split('&')
                .Select(pair => pair.Split('='))
                .ToDictionary(kv => Decode(kv[0]), kv => Decode(kv[1]));
            Requests.Add(new(
                request.Method, request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString(), request.Content.Headers.ContentType?.MediaType, form));
            _arrived.TrySetResult();
            if (_hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (_throw is not null)
            {
                throw _throw;
            }

            return new HttpResponseMessage(_status) { Content = new StringContent(_body) };
        }

        private static string Decode(string encoded) => Uri.UnescapeDataString(encoded.Replace('+', ' '));
    }

    private sealed record Recorded(HttpMethod Method, string Uri, string? Authorization, string? ContentType, Dictionary<string, string> Form);
}
