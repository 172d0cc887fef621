using ElderIoT.Grains.Notifications;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Notifications;

/// <summary>
/// The notifier, through Twilio's own library and its pluggable HTTP client, against Twilio's own
/// OpenAPI document (Prism as a validating mock), so that what we send is checked against the
/// vendor's contract and not only against a fake we wrote ourselves.
/// </summary>
public sealed class TwilioOpenApiMockTests(PrismMock prism) : IClassFixture<PrismMock>
{
    private static readonly SmsMessage Message = new("+8613800000000", "【ElderIoT】王秀英触发紧急呼叫（SOS）报警", Guid.NewGuid());
    private static readonly VoiceCall Call = new("+8613800000000", "王秀英触发了紧急呼叫（SOS）报警。如果您能前往，请按1。", "zh-CN", Guid.NewGuid());

    [Fact]
    public async Task ACallWithItsTwimlAndStatusCallbackFollowsTwiliosContract()
    {
        var notifier = TwilioFamilyNotifierTests.Notifier(
            new PrismFormArrays(new HttpClientHandler()), o => o.PublicBaseUrl = new Uri("https://centre.example"), prism.BaseUrl, PrismMock.AccountSid);

        var result = await notifier.CallAsync(Call, CancellationToken.None);

        Assert.True(result.Outcome == SendOutcome.Accepted, result.Error);
        Assert.Matches("^CA[0-9a-fA-F]{32}$", result.ProviderId);
    }

    [Fact]
    public async Task AMessageThatFollowsTwiliosContractIsAccepted()
    {
        var sender = TwilioFamilyNotifierTests.Notifier(
            new HttpClientHandler(), o => o.PublicBaseUrl = new Uri("http://127.0.0.1/cb"), prism.BaseUrl, PrismMock.AccountSid);

        var result = await sender.SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        Assert.Matches("^SM[0-9a-fA-F]{32}$", result.ProviderId);
    }

    [Fact]
    public async Task AMessageFromAMessagingServiceIsAccepted()
    {
        var sender = TwilioFamilyNotifierTests.Notifier(new HttpClientHandler(), o => o.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef", prism.BaseUrl, PrismMock.AccountSid);

        var result = await sender.SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task WithoutCredentialsTheMockAnswers401AndTheFailureIsPermanent()
    {
        var sender = TwilioFamilyNotifierTests.Notifier(new WithoutAuthorization(), baseUrl: prism.BaseUrl, accountSid: PrismMock.AccountSid);

        var result = await sender.SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 401", result.Error);
    }

    [Fact]
    public async Task TheMockChecksThatBasicAuthIsPresentButNotTheToken()
    {
        // Documents the mock's limit: a wrong token passes here, so credentials are checked only by the scripted-handler tests.
        var sender = TwilioFamilyNotifierTests.Notifier(new HttpClientHandler(), o => o.AuthToken = "wrong", prism.BaseUrl, PrismMock.AccountSid);

        var result = await sender.SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task ARequestWithoutToIsRejectedByTheContractAndTheFailureIsPermanent()
    {
        var sender = TwilioFamilyNotifierTests.Notifier(new WithoutFormField("To"), baseUrl: prism.BaseUrl, accountSid: PrismMock.AccountSid);

        var result = await sender.SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 422", result.Error);
    }

    [Fact]
    public async Task AnAccountSidOfTheWrongShapeIsRejectedByTheContract()
    {
        var sender = TwilioFamilyNotifierTests.Notifier(new HttpClientHandler(), baseUrl: prism.BaseUrl, accountSid: "AC-not-a-sid");

        var result = await sender.SendSmsAsync(Message, CancellationToken.None);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 422", result.Error);
    }

    /// <summary>Breaks the request on its way out, to see how the contract treats what the adapter never sends on its own.</summary>
    private sealed class WithoutAuthorization() : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = null;
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class WithoutFormField(string field) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var kept = (await request.Content!.ReadAsStringAsync(cancellationToken)).Split('&')
                .Where(pair => !pair.StartsWith(field + "=", StringComparison.Ordinal));
            request.Content = new StringContent(string.Join('&', kept), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
