using System.Net;
using ElderIoT.Gateway.Hosting;
using ElderIoT.Gateway.Interop;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ElderIoT.Silo;

/// <summary>
/// Collects the node's listeners from its settings and applies <see cref="ListenerExposurePolicy"/>
/// before anything starts: a node that would expose a listener without TLS and authentication stops
/// with one line naming the setting.
/// </summary>
public static partial class NodeExposure
{
    /// <summary>
    /// Whether the REST API requires authentication: always, since every endpoint and the seat stream
    /// take JWT bearer tokens (src/Api/Access) and no setting turns that off. The one place this is
    /// decided; should the API ever gain an anonymous mode, its setting is read here.
    /// </summary>
    public static bool HttpAuthenticationRequired(IConfiguration configuration) => true;

    /// <summary>Every listener of this node with what protects it.</summary>
    public static IReadOnlyList<NodeListener> Listeners(IServiceProvider services, IConfiguration configuration)
    {
        var listeners = new List<NodeListener>();
        var httpAuthenticated = HttpAuthenticationRequired(configuration);
        var urls = (configuration[NodePorts.HttpSetting] ?? ElderIoTNode.DefaultUrls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => (Setting: $"{NodePorts.HttpSetting} (--urls, ASPNETCORE_URLS)", Url: url));
        // Kestrel's own endpoint configuration (Kestrel:Endpoints:<name>:Url) replaces urls when present.
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Where(e => !string.IsNullOrWhiteSpace(e["Url"]))
            .Select(e => (Setting: $"Kestrel:Endpoints:{e.Key}:Url", Url: e["Url"]!));
        foreach (var (setting, url) in endpoints.Concat(urls))
        {
            var address = BindingAddress.Parse(url);
            listeners.Add(new NodeListener(setting, url, IsLoopback(address.Host), address.Scheme == "https", httpAuthenticated));
        }

        var gateway = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var tls = services.GetRequiredService<IOptions<GatewayTlsOptions>>().Value;
        var gatewayLoopback = IsLoopback(gateway.BindAddress);
        var gatewayAddress = string.IsNullOrWhiteSpace(gateway.BindAddress) ? "*" : gateway.BindAddress;
        if (gateway.Enabled && gateway.PlainListener)
        {
            listeners.Add(new NodeListener($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.BindAddress)} (plain listener, {GatewayOptions.SectionName}:{nameof(GatewayOptions.PlainListener)})",
                $"{gatewayAddress}:{gateway.Port}", gatewayLoopback, Encrypted: false, Authenticated: true));
        }

        if (gateway.Enabled && tls.Enabled)
        {
            listeners.Add(new NodeListener($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.BindAddress)} (TLS listener)",
                $"{gatewayAddress}:{tls.Port}", gatewayLoopback, Encrypted: true, Authenticated: true));
        }

        var interop = services.GetRequiredService<IOptions<InteropOptions>>().Value;
        if (interop.Enabled)
        {
            listeners.Add(new NodeListener($"{InteropOptions.SectionName}:{nameof(InteropOptions.BindAddress)}",
                $"{(string.IsNullOrWhiteSpace(interop.BindAddress) ? "*" : interop.BindAddress)}:{interop.Port}", IsLoopback(interop.BindAddress), Encrypted: false, Authenticated: false));
        }

        return listeners;
    }

    /// <summary>
    /// True when every listener may bind where it is configured to. Otherwise logs one critical line per
    /// refused listener, naming its setting and what it lacks, and returns false: the caller exits non-zero.
    /// </summary>
    public static bool IsAllowed(WebApplication app)
    {
        var policy = new ListenerExposurePolicy(app.Configuration.GetValue<bool>(ListenerExposurePolicy.LabSetting));
        var refused = policy.Refused(Listeners(app.Services, app.Configuration));
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ElderIoT");
        foreach (var listener in refused)
        {
            LogExposed(logger, listener.Setting, listener.Address, ListenerExposurePolicy.Lacking(listener), ListenerExposurePolicy.LabSetting);
        }

        return refused.Count == 0;
    }

    /// <summary>Only loopback addresses count; empty, "*", "+", any-address and host names other than localhost reach further.</summary>
    private static bool IsLoopback(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }

        host = host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(8, LogLevel.Critical, "{Setting} binds {Address} beyond loopback without {Lacking}. Bind it to 127.0.0.1, or give it TLS and authentication (docs/tls.md), or set {LabSetting}=true on a lab bench. The node does not start.")]
    private static partial void LogExposed(ILogger logger, string setting, string address, string lacking, string labSetting);
}
