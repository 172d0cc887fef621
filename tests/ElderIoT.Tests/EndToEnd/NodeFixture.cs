using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// One node shared by the end-to-end tests of a collection, texting through Twilio's OpenAPI mock;
/// each test makes its own elders and devices.
/// </summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private readonly PrismMock _twilio = new();

    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _twilio.InitializeAsync();
        Node = await TestNode.StartAsync(new Dictionary<string, string?>
        {
            ["Twilio:BaseUrl"] = _twilio.BaseUrl.ToString(),
            ["Twilio:AccountSid"] = PrismMock.AccountSid,
            ["Twilio:AuthToken"] = "test-token",
            ["Twilio:FromNumber"] = "+15005550006",
            ["Twilio:StatusCallbackUrl"] = "http://127.0.0.1:5080/api/notifications/twilio-status",
        });
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await _twilio.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "node";
}
