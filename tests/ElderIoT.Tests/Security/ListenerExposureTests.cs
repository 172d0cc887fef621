using ElderIoT.Gateway;
using ElderIoT.Silo;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Security;

/// <summary>A node binds beyond loopback only listeners with TLS and authentication, unless it is told it is a lab.</summary>
public sealed class ListenerExposureTests
{
    [Fact]
    public async Task ANodeWhosePlainMqttListenerWouldBindEveryInterfaceDoesNotStartAndNamesTheSetting()
    {
        await using var node = NodeProcess.Start(settings: ["--Gateway:BindAddress", "0.0.0.0"]);

        Assert.True(await node.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)), node.Output);
        Assert.NotEqual(0, node.Process.ExitCode);
        Assert.Contains("Gateway:BindAddress (plain listener, Gateway:PlainListener) binds 0.0.0.0:", node.Output);
        Assert.Contains("beyond loopback without TLS", node.Output);
        Assert.Contains("Node:Lab=true", node.Output);
        Assert.DoesNotContain("   at ", node.Output); // One line, no stack trace.
    }

    [Theory]
    // Loopback: anything goes.
    [InlineData("127.0.0.1", true, "", "")]
    [InlineData("127.0.0.1", true, "http://localhost:5080", "")]
    // Plain MQTT beyond loopback: its secrets cross in clear.
    [InlineData("0.0.0.0", true, "", "Gateway:BindAddress (plain listener, Gateway:PlainListener)")]
    [InlineData("", true, "", "Gateway:BindAddress (plain listener, Gateway:PlainListener)")]
    // Only the TLS listener beyond loopback: allowed.
    [InlineData("0.0.0.0", false, "", "")]
    // HTTP beyond loopback (tokens in clear); HTTPS, whose API always requires a token.
    [InlineData("127.0.0.1", true, "http://0.0.0.0:5080", "urls (--urls, ASPNETCORE_URLS)")]
    [InlineData("127.0.0.1", true, "https://*:5443", "")]
    public void OnlyListenersWithTlsAndAuthenticationMayBindBeyondLoopback(string mqttAddress, bool plain, string urls, string refused)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:BindAddress"] = mqttAddress,
            ["Gateway:PlainListener"] = plain.ToString(),
            ["Gateway:Tls:Enabled"] = (!plain).ToString(),
            ["Gateway:Tls:CertificatePath"] = typeof(ListenerExposureTests).Assembly.Location, // any file: only its presence is checked here
            ["urls"] = urls.Length > 0 ? urls : null,
        };

        var listeners = Listeners(settings);

        Assert.Equal(refused, string.Join(", ", new ListenerExposurePolicy(lab: false).Refused(listeners).Select(l => l.Setting)));
        Assert.Empty(new ListenerExposurePolicy(lab: true).Refused(listeners));
    }

    [Fact]
    public void KestrelEndpointsAreJudgedLikeUrls()
    {
        var listeners = Listeners(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://0.0.0.0:5443",
            ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:5080",
        });

        var refused = Assert.Single(new ListenerExposurePolicy(lab: false).Refused(listeners));

        Assert.Equal("Kestrel:Endpoints:Http:Url", refused.Setting);
        Assert.Equal("TLS", ListenerExposurePolicy.Lacking(refused));
    }

    [Fact]
    public void TheInteropListenerBeyondLoopbackLacksBothAndAnEncryptedButAnonymousListenerLacksAuthentication()
    {
        var interop = Assert.Single(Listeners(new Dictionary<string, string?> { ["Gateway:Interop:Enabled"] = "true", ["Gateway:Interop:BindAddress"] = "0.0.0.0" }),
            l => l.Setting.StartsWith("Gateway:Interop", StringComparison.Ordinal));
        var anonymous = new NodeListener("Some:Url", "https://0.0.0.0:1", Loopback: false, Encrypted: true, Authenticated: false);

        Assert.Equal([interop, anonymous], new ListenerExposurePolicy(lab: false).Refused([interop, anonymous]));
        Assert.Equal("TLS and authentication", ListenerExposurePolicy.Lacking(interop));
        Assert.Equal("authentication", ListenerExposurePolicy.Lacking(anonymous));
    }

    private static IReadOnlyList<NodeListener> Listeners(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(s => s.Value is not null)).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddLogging().AddMetrics();
        services.AddElderIoTGateway();
        using var provider = services.BuildServiceProvider();
        return NodeExposure.Listeners(provider, configuration);
    }
}
