using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Xml.Linq;
using ElderIoT.Grains.Notifications;
using ElderIoT.Grains.Notifications.Twilio;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Notifications;

/// <summary>
/// The Twilio notifier (Twilio's own library over our HttpClient) against a scripted HTTP answer:
/// what the library sends for a text and a call, and how every kind of answer is sorted.
/// </summary>
public sealed class TwilioFamilyNotifierTests
{
    private static readonly Guid Id = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly SmsMessage Message = new("+8613800000000", "【ElderIoT】测试 & test", Id);
    private static readonly VoiceCall Call = new("+8613800000000", "王秀英触发了紧急呼叫（SOS）报警。如果您能前往，请按1。", "zh-CN", Id);
    private static readonly Uri Centre = new("https://centre.example/elderiot");

    [Fact]
    public async Task ATextIsPostedWithBasicAuthAndItsStatusCallback()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, """{"sid":"SM123","status":"queued"}""");

        var result = await Notifier(handler, o => o.PublicBaseUrl = Centre).SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(new SendResult(SendOutcome.Accepted, "SM123"), result);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.twilio.test/2010-04-01/Accounts/AC1/Messages.json", request.Uri);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC1:token")), request.Authorization);
        Assert.Equal(["Body", "From", "StatusCallback", "To"], request.Form.Select(f => f.Key).Order());
        Assert.Equal("+8613800000000", request.Field("To"));
        Assert.Equal("+15005550006", request.Field("From"));
        Assert.Equal(Message.Body, request.Field("Body"));
        Assert.Equal("https://centre.example/elderiot/api/notifications/twilio-status?notificationId=11111111-2222-3333-4444-555555555555", request.Field("StatusCallback"));
    }

    [Fact]
    public async Task ABaseUrlWithAPathKeepsItsPath()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, """{"sid":"SM1"}""");

        await Notifier(handler, baseUrl: new Uri("https://edge.example/twilio")).SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal("https://edge.example/twilio/2010-04-01/Accounts/AC1/Messages.json", Assert.Single(handler.Requests).Uri);
    }

    [Fact]
    public async Task AMessagingServiceReplacesTheFromNumberAndWithoutAPublicAddressNoCallbackIsAskedFor()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, """{"sid":"SM1"}""");

        await Notifier(handler, o => o.MessagingServiceSid = "MG1").SendSmsAsync(Message, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("MG1", request.Field("MessagingServiceSid"));
        Assert.DoesNotContain(request.Form, f => f.Key is "From" or "StatusCallback");
    }

    [Fact]
    public async Task ACallSpeaksInTheContactsLanguageAndAsksForOneKey()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, """{"sid":"CA123","status":"queued"}""");

        var result = await Notifier(handler, o => o.PublicBaseUrl = Centre).CallAsync(Call, CancellationToken.None);

        Assert.Equal(new SendResult(SendOutcome.Accepted, "CA123"), result);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://api.twilio.test/2010-04-01/Accounts/AC1/Calls.json", request.Uri);
        Assert.Equal("+8613800000000", request.Field("To"));
        Assert.Equal("+15005550006", request.Field("From"));
        Assert.Equal("30", request.Field("Timeout"));
        Assert.Equal("https://centre.example/elderiot/api/notifications/twilio-call-status?notificationId=11111111-2222-3333-4444-555555555555", request.Field("StatusCallback"));
        Assert.Equal("POST", request.Field("StatusCallbackMethod"));
        Assert.Equal(["initiated", "ringing", "answered", "completed"], request.Fields("StatusCallbackEvent"));
        var gather = XDocument.Parse(request.Field("Twiml")).Root!.Element("Gather")!;
        Assert.Equal("1", gather.Attribute("numDigits")!.Value);
        Assert.Equal("https://centre.example/elderiot/api/notifications/twilio-gather?notificationId=11111111-2222-3333-4444-555555555555", gather.Attribute("action")!.Value);
        var say = gather.Element("Say")!;
        Assert.Equal("zh-CN", say.Attribute("language")!.Value);
        Assert.Equal(Call.Speech, say.Value);
    }

    [Fact]
    public async Task ACareCallSaysItsTextTwiceAsksForNoKeyAndReportsOnlyItsEndForItsBroadcastMessage()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, """{"sid":"CA9","status":"queued"}""");
        var broadcast = Guid.Parse("99999999-8888-7777-6666-555555555555");

        var result = await Notifier(handler, o => o.PublicBaseUrl = Centre)
            .CallAsync(new VoiceCall("+8613800000000", "明天降温，请添衣。", "zh-CN", Id, new CareCall(broadcast, 42)), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://centre.example/elderiot/api/notifications/twilio-care-call-status?broadcastId=99999999-8888-7777-6666-555555555555&messageId=42", request.Field("StatusCallback"));
        Assert.Empty(request.Fields("StatusCallbackEvent"));
        var twiml = XDocument.Parse(request.Field("Twiml")).Root!;
        Assert.Null(twiml.Element("Gather"));
        Assert.Equal(["明天降温，请添衣。", "再说一遍：明天降温，请添衣。"], twiml.Elements("Say").Select(s => s.Value));
        Assert.NotNull(twiml.Element("Hangup"));
    }

    [Fact]
    public void TheLongestVoiceBroadcastFitsTwiliosInlineTwimlLimitEvenWhenEveryCharacterIsEscaped()
    {
        var composer = new ElderIoT.Grains.Broadcasts.CareMessageComposer(Options.Create(new NotificationOptions()));
        var speech = composer.Speech(new string('&', ElderIoT.Contracts.Broadcasts.BroadcastTexts.MaxVoiceLength), "en");

        var twiml = CallScript.SayTwice(speech, "en");

        // Twilio refuses an inline Twiml parameter of more than 4,000 characters.
        Assert.True(twiml.Length <= 4000, $"{twiml.Length} characters");
    }

    [Fact]
    public void AnEnglishContactIsSpokenToInEnglish()
    {
        var twiml = XDocument.Parse(CallScript.Ask("Press 1 if you can go.", "en", new Uri("https://centre.example/g")));

        Assert.Equal("en-US", twiml.Root!.Element("Gather")!.Element("Say")!.Attribute("language")!.Value);
    }

    [Fact]
    public async Task ACallNeedsAFromNumberAndSaysSo()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created, "{}");

        var result = await Notifier(handler, o => (o.FromNumber, o.MessagingServiceSid) = (null, "MG1")).CallAsync(Call, CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("Twilio:FromNumber", result.Error);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task ServerErrorsAndThrottlingAreTransient(HttpStatusCode status)
    {
        var result = await Notifier(new ScriptedHandler(status, "")).SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.TransientFailure, result.Outcome);
        Assert.Contains($"HTTP {(int)status}", result.Error);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task OtherClientErrorsArePermanent(HttpStatusCode status)
    {
        var result = await Notifier(new ScriptedHandler(status, "not json")).CallAsync(Call, CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Equal($"Twilio answered HTTP {(int)status}", result.Error);
    }

    [Fact]
    public async Task TwilioErrorCodeAndMessageAreKept()
    {
        var body = """{"code":21211,"message":"The 'To' number +86 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}""";

        var result = await Notifier(new ScriptedHandler(HttpStatusCode.BadRequest, body)).SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Equal("Twilio 21211: The 'To' number +86 is not a valid phone number. (HTTP 400)", result.Error);
    }

    [Fact]
    public async Task AnUnreachableProviderIsTransient()
    {
        var result = await Notifier(new ScriptedHandler(new HttpRequestException("connection refused"))).SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.TransientFailure, result.Outcome);
        Assert.Contains("connection refused", result.Error);
    }

    [Fact]
    public async Task AProviderSlowerThanTheConfiguredTimeoutIsTransient()
    {
        var http = new HttpClient(new TwilioBaseUrlHandler(new Uri("https://api.twilio.test")) { InnerHandler = ScriptedHandler.Hanging() })
        {
            Timeout = TimeSpan.FromMilliseconds(50),
        };

        var result = await Notifier(http, o => o.Timeout = TimeSpan.FromMilliseconds(50)).SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.TransientFailure, result.Outcome);
        Assert.Contains("did not answer", result.Error);
    }

    [Fact]
    public async Task CancellingWhileTwilioIsThinkingPropagates()
    {
        var handler = ScriptedHandler.Hanging();
        using var caller = new CancellationTokenSource();
        var sending = Notifier(handler).SendSmsAsync(Message, caller.Token);

        await handler.Arrived;
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    [Fact]
    public async Task SentAndFailedAreCountedByChannelAndKind()
    {
        using var meters = new RecordingMeters();
        var counted = new List<(string Instrument, string? Channel, string? Kind)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (meters.Created.Contains(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var all = tags.ToArray();
            lock (counted)
            {
                counted.Add((instrument.Name, all.FirstOrDefault(t => t.Key == "channel").Value as string, all.FirstOrDefault(t => t.Key == "kind").Value as string));
            }
        });
        listener.Start();

        await Notifier(new ScriptedHandler(HttpStatusCode.Created, """{"sid":"SM1"}"""), meters: meters).SendSmsAsync(Message, CancellationToken.None);
        await Notifier(new ScriptedHandler(HttpStatusCode.ServiceUnavailable, ""), meters: meters).CallAsync(Call, CancellationToken.None);
        await Notifier(new ScriptedHandler(HttpStatusCode.BadRequest, ""), meters: meters).SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(FamilyNotifierServiceCollectionExtensions.MeterName, Assert.Single(meters.Created.Select(m => m.Name).Distinct()));
        Assert.Equal(
            new (string, string?, string?)[] { ("elderiot.notifications.sent", "sms", null), ("elderiot.notifications.failed", "voice", "transient"), ("elderiot.notifications.failed", "sms", "permanent") },
            counted);
    }

    [Fact]
    public async Task WithoutSettingsNothingIsSentAndTheWarningIsLoggedOnce()
    {
        var logs = new CollectingLoggerProvider();
        using var loggers = new LoggerFactory([logs]);
        var notifier = new NotConfiguredFamilyNotifier(loggers.CreateLogger<NotConfiguredFamilyNotifier>());

        var text = await notifier.SendSmsAsync(Message, CancellationToken.None);
        var call = await notifier.CallAsync(Call, CancellationToken.None);

        Assert.Equal(new SendResult(SendOutcome.NotConfigured, Error: "Twilio is not configured (Twilio:AccountSid, Twilio:AuthToken, Twilio:FromNumber)"), text);
        Assert.Equal(text, call);
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
    public void ACompleteSetupGoesThroughTwilio()
    {
        using var services = Registered(new()
        {
            ["Twilio:AccountSid"] = "AC1",
            ["Twilio:AuthToken"] = "token",
            ["Twilio:FromNumber"] = "+15005550006",
            ["Twilio:PublicBaseUrl"] = "https://centre.example",
        });

        Assert.IsType<TwilioFamilyNotifier>(services.GetRequiredService<IFamilyNotifier>());
    }

    [Fact]
    public void WithoutSettingsTheNotConfiguredNotifierIsUsed()
    {
        using var services = Registered(new());

        Assert.IsType<NotConfiguredFamilyNotifier>(services.GetRequiredService<IFamilyNotifier>());
    }

    [Theory]
    [InlineData("Twilio:AccountSid", "AC1", "partly configured")]
    [InlineData("Twilio:BaseUrl", "/relative", "Twilio:BaseUrl must be an absolute http(s) URL")]
    [InlineData("Twilio:PublicBaseUrl", "centre.example", "Twilio:PublicBaseUrl must be an absolute http(s) URL")]
    [InlineData("Twilio:RingSeconds", "2", "Twilio:RingSeconds must be 5 to 600")]
    public void AMistakenSetupIsRefusedWithTheReason(string key, string value, string reason)
    {
        using var services = Registered(new() { [key] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TwilioOptions>>().Value);

        Assert.Contains(reason, refused.Message);
    }

    internal static TwilioFamilyNotifier Notifier(
        HttpMessageHandler handler, Action<TwilioOptions>? configure = null, Uri? baseUrl = null, string accountSid = "AC1", IMeterFactory? meters = null) =>
        Notifier(new HttpClient(new TwilioBaseUrlHandler(baseUrl ?? new Uri("https://api.twilio.test")) { InnerHandler = handler }), configure, accountSid, meters);

    internal static TwilioFamilyNotifier Notifier(
        HttpClient http, Action<TwilioOptions>? configure = null, string accountSid = "AC1", IMeterFactory? meters = null)
    {
        var options = new TwilioOptions
        {
            AccountSid = accountSid,
            AuthToken = "token",
            FromNumber = "+15005550006",
        };
        configure?.Invoke(options);
        return new TwilioFamilyNotifier(http, Options.Create(options), meters ?? new TestMeters(), NullLogger<TwilioFamilyNotifier>.Instance);
    }

    private static ServiceProvider Registered(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddElderIoTFamilyNotifier()
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
                .Select(kv => KeyValuePair.Create(Decode(kv[0]), Decode(kv[1])))
                .ToList();
            Requests.Add(new(request.Method, request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString(), form));
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

    private sealed record Recorded(HttpMethod Method, string Uri, string? Authorization, List<KeyValuePair<string, string>> Form)
    {
        public string Field(string name) => Assert.Single(Form, f => f.Key == name).Value;

        public string[] Fields(string name) => [.. Form.Where(f => f.Key == name).Select(f => f.Value)];
    }
}
