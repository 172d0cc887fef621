using ElderIoT.Grains.Notifications;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Notifications;

/// <summary>
/// The real adapter against Twilio's own OpenAPI document (Prism as a validating mock), so that what we
/// send is checked against the vendor's contract and not only against a fake we wrote ourselves.
/// </summary>
public sealed class TwilioOpenApiMockTests(PrismMock prism) : IClassFixture<PrismMock>
{
    private static readonly SmsMessage Message = new("+8613800000000", "【ElderIoT】王秀英触发紧急呼叫（SOS）报警", Guid.NewGuid());

    [Fact]
    public async Task AMessageThatFollowsTwiliosContractIsAccepted()
    {
        var sender = TwilioSmsSenderTests.Sender(
            new HttpClientHandler(), o => o.StatusCallbackUrl = new Uri("http://127.0.0.1/cb"), prism.BaseUrl, PrismMock.AccountSid);

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Accepted, result.Outcome);
        Assert.Matches("^SM[0-9a-fA-F]{32}$", result.ProviderMessageId);
    }

    [Fact]
    public async Task AMessageFromAMessagingServiceIsAccepted()
    {
        var sender = TwilioSmsSenderTests.Sender(new HttpClientHandler(), o => o.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef", prism.BaseUrl, PrismMock.AccountSid);

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task WithoutCredentialsTheMockAnswers401AndTheFailureIsPermanent()
    {
        var sender = TwilioSmsSenderTests.Sender(new WithoutAuthorization(), baseUrl: prism.BaseUrl, accountSid: PrismMock.AccountSid);

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 401", result.Error);
    }

    [Fact]
    public async Task TheMockChecksThatBasicAuthIsPresentButNotTheToken()
    {
        // Documents the mock's limit: a wrong token passes here, so credentials are checked only by the scripted-handler tests.
        var sender = TwilioSmsSenderTests.Sender(new HttpClientHandler(), o => o.AuthToken = "wrong", prism.BaseUrl, PrismMock.AccountSid);

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task ARequestWithoutToIsRejectedByTheContractAndTheFailureIsPermanent()
    {
        var sender = TwilioSmsSenderTests.Sender(new WithoutFormField("To"), baseUrl: prism.BaseUrl, accountSid: PrismMock.AccountSid);

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 422", result.Error);
    }

    [Fact]
    public async Task AnAccountSidOfTheWrongShapeIsRejectedByTheContract()
    {
        var sender = TwilioSmsSenderTests.Sender(new HttpClientHandler(), baseUrl: prism.BaseUrl, accountSid: "AC-not-a-sid");

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.PermanentFailure, result.Outcome);
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
