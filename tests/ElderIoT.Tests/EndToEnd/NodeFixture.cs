using ElderIoT.Grains.Notifications.Twilio;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// One node shared by the end-to-end tests of a collection, texting through Twilio's OpenAPI mock;
/// each test makes its own elders and devices.
/// </summary>
public class NodeFixture : IAsyncLifetime
{
    public const string AuthToken = "test-token";

    /// <summary>Where Twilio is told to call back: a proxy's address with a path, not the node's own.</summary>
    public static readonly Uri PublicBaseUrl = new("https://centre.example/elderiot");

    private readonly PrismMock _twilio = new();

    public TestNode Node { get; private set; } = null!;

    /// <summary>Every request the node sent to Twilio (the mock).</summary>
    public TwilioRequestLog TwilioRequests { get; } = new();

    /// <summary>Plays Twilio's part in webhooks: signed as Twilio signs them.</summary>
    internal TwilioWebhookClient Twilio => new(Node.Http, AuthToken, PublicBaseUrl);

    public async Task InitializeAsync()
    {
        await _twilio.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Twilio:BaseUrl"] = _twilio.BaseUrl.ToString(),
            ["Twilio:AccountSid"] = PrismMock.AccountSid,
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:FromNumber"] = "+15005550006",
            ["Twilio:PublicBaseUrl"] = PublicBaseUrl.ToString(),
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        // The node's own Twilio client, as composed, with only the form arrays written as Prism reads them.
        Node = await TestNode.StartAsync(settings, services: s => s.AddHttpClient<TwilioFamilyNotifier>()
            .AddHttpMessageHandler(TwilioRequests.Handler).AddHttpMessageHandler(() => new PrismFormArrays()));
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    /// <summary>Further settings of a derived fixture's node.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();
}

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "node";
}
