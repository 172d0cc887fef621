using ElderIoT.Tests.Infrastructure;
using Twilio.Security;

namespace ElderIoT.Tests.Notifications;

/// <summary>The tests' signer follows Twilio's documented algorithm: the library's own validator says so.</summary>
public sealed class TwilioSignatureTests
{
    private const string Url = "https://centre.example/elderiot/api/notifications/twilio-status?notificationId=11111111-2222-3333-4444-555555555555";

    private static readonly Dictionary<string, string> Fields = new()
    {
        ["MessageSid"] = "SM0123456789abcdef0123456789abcdef",
        ["MessageStatus"] = "undelivered",
        ["ErrorCode"] = "30003",
        ["Body"] = "到 & 1",
    };

    [Fact]
    public void TwiliosValidatorAcceptsTheTestsSignature()
    {
        Assert.True(new RequestValidator("token").Validate(Url, Fields, TwilioWebhookClient.Sign("token", Url, Fields)));
    }

    [Fact]
    public void TwiliosValidatorRefusesAnotherTokenAnotherUrlOrAnotherForm()
    {
        var validator = new RequestValidator("token");

        Assert.False(validator.Validate(Url, Fields, TwilioWebhookClient.Sign("other", Url, Fields)));
        Assert.False(validator.Validate(Url, Fields, TwilioWebhookClient.Sign("token", Url.Replace("centre", "elsewhere"), Fields)));
        Assert.False(validator.Validate(Url, Fields, TwilioWebhookClient.Sign("token", Url, Fields.Where(f => f.Key != "ErrorCode"))));
    }
}
