using System.Net;
using System.Text;
using ElderIoT.Grains.Notifications;
using ElderIoT.Grains.Notifications.Twilio;
using Microsoft.Extensions.Logging.Abstractions;
using ElderIoT.Tests.Infrastructure;
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
        Assert.Equal("https://api.twilio.test/2010-04-01/Accounts/AC1/Messages.json", request.Uri);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC1:token")), request.Authorization);
        Assert.Equal("+8613800000000", request.Form["To"]);
        Assert.Equal("+15005550006", request.Form["From"]);
        Assert.Equal(Message.Body, request.Form["Body"]);
        Assert.Equal("https://centre.example/api/notifications/twilio-status?notificationId=11111111-2222-3333-4444-555555555555", request.Form["StatusCallback"]);
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
    [InlineData(HttpStatusCode.InternalServerError, SmsSendOutcome.TransientFailure)]
    [InlineData(HttpStatusCode.ServiceUnavailable, SmsSendOutcome.TransientFailure)]
    [InlineData(HttpStatusCode.TooManyRequests, SmsSendOutcome.TransientFailure)]
    [InlineData(HttpStatusCode.RequestTimeout, SmsSendOutcome.TransientFailure)]
    [InlineData(HttpStatusCode.Unauthorized, SmsSendOutcome.PermanentFailure)]
    [InlineData(HttpStatusCode.NotFound, SmsSendOutcome.PermanentFailure)]
    public async Task StatusCodesAreClassified(HttpStatusCode status, SmsSendOutcome expected)
    {
        var result = await Sender(new ScriptedHandler(status, "")).SendAsync(Message, CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Contains($"HTTP {(int)status}", result.Error);
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
    public async Task AnUnreachableOrSlowProviderIsTransient()
    {
        var unreachable = await Sender(new ScriptedHandler(new HttpRequestException("connection refused"))).SendAsync(Message, CancellationToken.None);
        var slow = await Sender(new ScriptedHandler(TimeSpan.FromSeconds(30)), o => o.Timeout = TimeSpan.FromMilliseconds(50))
            .SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.TransientFailure, unreachable.Outcome);
        Assert.Contains("connection refused", unreachable.Error);
        Assert.Equal(SmsSendOutcome.TransientFailure, slow.Outcome);
        Assert.Contains("did not answer", slow.Error);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotSwallowed()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Sender(new ScriptedHandler(TimeSpan.FromSeconds(30))).SendAsync(Message, cancelled.Token));
    }

    [Fact]
    public async Task WithoutSettingsNothingIsSentAndTheReasonIsGiven()
    {
        var result = await new NotConfiguredSmsSender(NullLogger<NotConfiguredSmsSender>.Instance).SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.NotConfigured, result.Outcome);
        Assert.Contains("Twilio:AccountSid", result.Error);
    }

    [Fact]
    public void HalfASetupIsNotConfiguredButPartlyConfigured()
    {
        var half = new TwilioOptions { AccountSid = "AC1" };

        Assert.False(half.IsConfigured);
        Assert.True(half.IsPartlyConfigured);
        Assert.False(new TwilioOptions().IsPartlyConfigured);
    }

    internal static TwilioSmsSender Sender(HttpMessageHandler handler, Action<TwilioOptions>? configure = null, Uri? baseUrl = null, string accountSid = "AC1")
    {
        var options = new TwilioOptions
        {
            BaseUrl = baseUrl ?? new Uri("https://api.twilio.test"),
            AccountSid = accountSid,
            AuthToken = "token",
            FromNumber = "+15005550006",
        };
        configure?.Invoke(options);
        return new TwilioSmsSender(new HttpClient(handler), Options.Create(options), new TestMeters(), NullLogger<TwilioSmsSender>.Instance);
    }

    private sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly HttpStatusCode _status;
        private readonly string _body;
        private readonly Exception? _throw;
        private readonly TimeSpan _delay;

        public ScriptedHandler(HttpStatusCode status, string body)
        {
            _status = status;
            _body = body;
        }

        public ScriptedHandler(Exception exception)
            : this(HttpStatusCode.OK, "") => _throw = exception;

        public ScriptedHandler(TimeSpan delay = default)
            : this(HttpStatusCode.Created, "{}") => _delay = delay;

        public List<(string Uri, string? Authorization, Dictionary<string, string> Form)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = (await request.Content!.ReadAsStringAsync(cancellationToken)).Split('&')
                .Select(pair => pair.Split('='))
                .ToDictionary(kv => Uri.UnescapeDataString(kv[0].Replace('+', ' ')), kv => Uri.UnescapeDataString(kv[1].Replace('+', ' ')));
            Requests.Add((request.RequestUri!.ToString(), request.Headers.Authorization?.ToString(), form));
            await Task.Delay(_delay, cancellationToken);
            if (_throw is not null)
            {
                throw _throw;
            }

            return new HttpResponseMessage(_status) { Content = new StringContent(_body) };
        }
    }
}
