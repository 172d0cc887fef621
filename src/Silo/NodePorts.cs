using System.Net;
using System.Net.Sockets;
using ElderIoT.Gateway.Hosting;
using ElderIoT.Gateway.Interop;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ElderIoT.Silo;

/// <summary>
/// Every port a node listens on, with the setting that chooses it. Checked before anything starts: a
/// node whose port is taken stops at once with one line naming the port and its setting. Orleans
/// itself does not fail on a taken silo or gateway port: without this check a second node on the same
/// ports starts as if all were well and serves nobody.
/// </summary>
public static partial class NodePorts
{
    /// <summary>The setting of the REST API's addresses (also <c>ASPNETCORE_URLS</c>).</summary>
    public const string HttpSetting = "urls";

    /// <summary>One port of the node: where it listens and which setting says so.</summary>
    public sealed record NodePort(string Setting, IPAddress Address, int Port);

    /// <summary>The ports this node will listen on; port 0 (any free port) is left out.</summary>
    public static IReadOnlyList<NodePort> Of(IServiceProvider services, IConfiguration configuration)
    {
        var ports = new List<NodePort>();
        foreach (var url in (configuration[HttpSetting] ?? ElderIoTNode.DefaultUrls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = BindingAddress.Parse(url);
            if (address.Port > 0 && HttpAddress(address.Host) is { } ip)
            {
                ports.Add(new NodePort($"{HttpSetting} (--urls, ASPNETCORE_URLS)", ip, address.Port));
            }
        }

        var gateway = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (gateway.Enabled && gateway.Port > 0)
        {
            ports.Add(new NodePort($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Port)}",
                string.IsNullOrWhiteSpace(gateway.BindAddress) ? IPAddress.Any : IPAddress.Parse(gateway.BindAddress), gateway.Port));
        }

        var interop = services.GetRequiredService<IOptions<InteropOptions>>().Value;
        if (interop.Enabled && interop.Port > 0)
        {
            ports.Add(new NodePort($"{InteropOptions.SectionName}:{nameof(InteropOptions.Port)}",
                string.IsNullOrWhiteSpace(interop.BindAddress) ? IPAddress.Any : IPAddress.Parse(interop.BindAddress), interop.Port));
        }

        // Localhost clustering listens on the loopback address, Redis clustering on the advertised one.
        var orleans = OrleansHostingOptions.From(configuration);
        ports.Add(new NodePort($"{OrleansHostingOptions.SectionName}:{nameof(OrleansHostingOptions.SiloPort)}", orleans.ListenAddress, orleans.SiloPort));
        ports.Add(new NodePort($"{OrleansHostingOptions.SectionName}:{nameof(OrleansHostingOptions.GatewayPort)}", orleans.ListenAddress, orleans.GatewayPort));
        return ports;
    }

    /// <summary>
    /// True when every port is free. Otherwise logs one critical line naming the first taken port and
    /// its setting, and returns false: the caller exits with a non-zero code before anything started.
    /// </summary>
    public static bool AreFree(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ElderIoT");
        foreach (var port in Of(app.Services, app.Configuration))
        {
            if (!IsFree(port, out var error))
            {
                LogPortTaken(logger, port.Port, port.Setting, port.Address.ToString(), error);
                return false;
            }
        }

        return true;
    }

    private static bool IsFree(NodePort port, out string error)
    {
        try
        {
            using var probe = new Socket(port.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (OperatingSystem.IsLinux())
            {
                // SO_REUSEADDR alone, so that a port whose last connections linger in TIME_WAIT counts as
                // free. Not .NET's ReuseAddress: on Linux that adds SO_REUSEPORT, under which a second
                // listener shares the port with the first; that is how Orleans' listener lets two silos
                // bind one port, and how this probe would miss it.
                probe.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }

            probe.Bind(new IPEndPoint(port.Address, port.Port));
            probe.Listen();
            error = "";
            return true;
        }
        catch (SocketException exception)
        {
            error = exception.SocketErrorCode == SocketError.AddressAlreadyInUse ? "already in use" : exception.Message;
            return false;
        }
    }

    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private static IPAddress? HttpAddress(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "+" => IPAddress.Any,
        _ => IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip : null, // A host name: Kestrel reports it itself.
    };

    [LoggerMessage(2, LogLevel.Critical, "Port {Port} ({Setting}) on {Address} cannot be used: {Error}. Another program or ElderIoT node holds it; choose a free port with {Setting}. The node does not start.")]
    private static partial void LogPortTaken(ILogger logger, int port, string setting, string address, string error);
}
