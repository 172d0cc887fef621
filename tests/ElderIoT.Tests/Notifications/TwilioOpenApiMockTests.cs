using ElderIoT.Grains.Notifications;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Notifications;

/// <summary>The adapter against Twilio's own OpenAPI document (Prism as a validating mock), not only a hand-written fake.</summary>
public sealed class TwilioOpenApiMockTests(PrismMock prism) : IClassFixture<PrismMock>
{
    private static readonly SmsMessage Message = new("+8613800000000", "【ElderIoT】王秀英触发紧急呼叫（SOS）报警", Guid.NewGuid());

    [Fact]
    public async Task AMessageThatFollowsTwiliosContractIsAccepted()
    {
        var sender = TwilioSmsSenderTests.Sender(new HttpClientHandler(), o => o.StatusCallbackUrl = new Uri("http://127.0.0.1/cb"), prism.BaseUrl, PrismMock.AccountSid);

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.Accepted, result.Outcome);
        Assert.StartsWith("SM", result.ProviderMessageId);
    }

    [Fact]
    public async Task AnAccountSidOfTheWrongShapeIsRefused()
    {
        var sender = TwilioSmsSenderTests.Sender(new HttpClientHandler(), baseUrl: prism.BaseUrl, accountSid: "AC-not-a-sid");

        var result = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(SmsSendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("HTTP 422", result.Error);
    }
}
