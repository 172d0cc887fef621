using System.Net.Sockets;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Cluster;

/// <summary>
/// Debian's HAProxy in front of a cluster's nodes, as deploy/haproxy.cfg puts it in production: TCP
/// for the MQTT ports, HTTP for the APIs, each node checked and taken out when it stops answering.
/// </summary>
internal sealed class LoadBalancer : IAsyncDisposable
{
    private readonly ExternalProcess _process;

    private LoadBalancer(ExternalProcess process, int mqttPort, int httpPort)
    {
        _process = process;
        MqttPort = mqttPort;
        HttpPort = httpPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int MqttPort { get; }

    public int HttpPort { get; }

    public HttpClient Http { get; }

    public string Output => _process.Output;

    public static async Task<LoadBalancer> StartAsync(IReadOnlyList<NodeProcess> nodes)
    {
        var mqtt = FreePort.Next();
        var http = FreePort.Next();
        var config = Path.Combine(RepoPaths.TempDirectory("haproxy"), "haproxy.cfg");
        await File.WriteAllTextAsync(config, Config(nodes, mqtt, http));
        var check = await ExternalProcess.RunAsync("haproxy", "-c", "-f", config);
        Assert.True(check.ExitCode == 0, check.Output);
        var process = ExternalProcess.Start("haproxy", ["-db", "-f", config]);
        var balancer = new LoadBalancer(process, mqtt, http);
        await TestNode.EventuallyAsync(() => Task.FromResult(Listening(mqtt) && Listening(http)), up => up || process.HasExited, "HAProxy to listen");
        Assert.False(process.HasExited, process.Output);
        return balancer;
    }

    /// <summary>
    /// The same sections as deploy/haproxy.cfg, on this test's ports. Checks every 500 ms so that a
    /// killed node is out of the rotation before its devices come back.
    /// </summary>
    public static string Config(IReadOnlyList<NodeProcess> nodes, int mqttPort, int httpPort) => $$"""
        global
            maxconn 4000

        defaults
            timeout connect 2s
            timeout client 10m
            timeout server 10m
            retries 2
            option redispatch

        frontend devices
            mode tcp
            bind 127.0.0.1:{{mqttPort}}
            default_backend mqtt_nodes

        backend mqtt_nodes
            mode tcp
            balance leastconn
            default-server check inter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
        {{string.Join("\n", nodes.Select((n, i) => $"    server node{i + 1} 127.0.0.1:{n.MqttPort}"))}}

        frontend api
            mode http
            bind 127.0.0.1:{{httpPort}}
            default_backend api_nodes

        backend api_nodes
            mode http
            balance roundrobin
            option httpchk GET /health/ready
            default-server check inter 500ms fall 2 rise 2
        {{string.Join("\n", nodes.Select((n, i) => $"    server node{i + 1} 127.0.0.1:{n.HttpPort}"))}}

        """;

    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        return _process.DisposeAsync();
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
