using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Hosting;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>Starting and stopping the real node process, and what it says while doing so.</summary>
[Collection(NodeCollection.Name)]
public sealed class NodeProcessTests
{
    [Fact]
    public async Task SigtermWithASeatStreamOpenEndsTheNodeInSecondsAndAnSosSentWhileItStopsIsNotAcknowledged()
    {
        await using var node = NodeProcess.Start();
        await node.WaitReadyAsync();
        var elder = await (await node.Http.PostAsJsonAsync("/api/elders", Scenario.ElderBody(), TestNode.Json)).Content.ReadFromJsonAsync<ElderResponse>(TestNode.Json);
        var v5 = await RegisterAsync(node, elder!.Id, "stop-v5");
        var v311 = await RegisterAsync(node, elder.Id, "stop-v311");
        (await node.Http.PostAsJsonAsync("/api/seats/seat-stop/online", new { districts = new[] { Scenario.District } }, TestNode.Json)).EnsureSuccessStatusCode();
        await using var screen = await SeatStreamReader.OpenAsync(node.Http, "seat-stop");
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, v5.Id, v5.Secret);
        await using var handset = await MqttDevice.ConnectAsync(node.MqttPort, v311.Id, v311.Secret, MqttProtocolVersion.V311);

        await node.TerminateAsync();
        await TestNode.EventuallyAsync(() => Task.FromResult(node.Output), output => output.Contains("Device gateway shutting down") || node.Process.HasExited, "the gateway to start draining");
        var fromWatch = await TryPublishAsync(watch, Scenario.SosJson("during-shutdown"));
        var fromHandset = await TryPublishAsync(handset, Scenario.SosJson("during-shutdown"));

        Assert.True(await node.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the node was still running 10 s after SIGTERM:\n" + node.Output);
        Assert.Equal(0, node.Process.ExitCode);
        Assert.NotEqual(MqttClientPublishReasonCode.Success, fromWatch);
        Assert.NotEqual(MqttClientPublishReasonCode.Success, fromHandset);
    }

    [Fact]
    public async Task ADrainingGatewayRefusesNewConnectionsAndWithholdsThePubackOfNewEvents()
    {
        await using var node = await TestNode.StartAsync();
        var (elder, device) = await node.ElderWithDeviceAsync();
        var other = await node.RegisterDeviceAsync(elder.Id);
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        await using var handset = await MqttDevice.ConnectAsync(node.MqttPort, other.Id, other.Secret, MqttProtocolVersion.V311);
        using var rejected = new CounterRecorder(node, "elderiot.gateway.messages_rejected");
        using var refused = new CounterRecorder(node, "elderiot.gateway.connections_refused");

        await node.Services.GetRequiredService<DeviceGateway>().StoppingAsync(CancellationToken.None);
        var fromWatch = await TryPublishAsync(watch, Scenario.SosJson("draining"));
        var fromHandset = await TryPublishAsync(handset, Scenario.SosJson("draining"));
        var reconnect = await MqttDevice.TryConnectAsync(node.MqttPort, device.Id, device.Id, device.Secret);

        Assert.NotEqual(MqttClientPublishReasonCode.Success, fromWatch);
        Assert.NotEqual(MqttClientPublishReasonCode.Success, fromHandset);
        Assert.Equal(MqttClientConnectResultCode.ServerUnavailable, reconnect);
        Assert.Equal(2, rejected.Count("reason", "shutting_down"));
        Assert.Equal(1, refused.Count("reason", "shutting_down"));
        Assert.Empty(await node.GetAsync<List<ElderIoT.Api.Alarms.AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));
    }

    [Theory]
    [InlineData("urls (--urls, ASPNETCORE_URLS)")]
    [InlineData("Gateway:Port")]
    [InlineData("Orleans:SiloPort")]
    [InlineData("Orleans:GatewayPort")]
    public async Task ANodeWhosePortIsTakenStopsAtOnceNamingThePortAndItsSetting(string setting)
    {
        var port = FreePort.Next();
        using var holder = new TcpListener(IPAddress.Loopback, port);
        holder.Start();

        await using var node = setting switch
        {
            "Gateway:Port" => NodeProcess.Start(mqttPort: port),
            "Orleans:SiloPort" => NodeProcess.Start(siloPort: port),
            "Orleans:GatewayPort" => NodeProcess.Start(gatewayPort: port),
            _ => NodeProcess.Start(httpPort: port),
        };

        Assert.True(await node.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)), node.Output);
        Assert.NotEqual(0, node.Process.ExitCode);
        Assert.Contains($"Port {port} ({setting}) on 127.0.0.1 cannot be used: already in use", node.Output);
        Assert.DoesNotContain("   at ", node.Output); // One line, no stack trace.
    }

    [Fact]
    public async Task ASecondNodeOnTheOrleansPortsOfARunningOneDoesNotStart()
    {
        await using var first = NodeProcess.Start();
        await first.WaitReadyAsync();

        await using var second = NodeProcess.Start(siloPort: first.SiloPort, gatewayPort: first.GatewayPort);

        Assert.True(await second.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)), second.Output);
        Assert.NotEqual(0, second.Process.ExitCode);
        Assert.Contains($"Port {first.SiloPort} (Orleans:SiloPort)", second.Output);
    }

    [Fact]
    public async Task TheLogAtInformationSaysWhatStartedWhereItListensAndEachAlarmWithoutOrleansNoise()
    {
        await using var node = NodeProcess.Start();
        await node.WaitReadyAsync();
        var elder = await (await node.Http.PostAsJsonAsync("/api/elders", Scenario.ElderBody(), TestNode.Json)).Content.ReadFromJsonAsync<ElderResponse>(TestNode.Json);
        var device = await RegisterAsync(node, elder!.Id, "log-handset");
        var sos = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", node.MqttPort.ToString(), "-V", "mqttv5", "-q", "1",
            "-i", device.Id, "-u", device.Id, "-P", device.Secret, "-t", $"devices/{device.Id}/events", "-m", Scenario.SosJson("log-1"));
        Assert.True(sos.ExitCode == 0, sos.Output);
        await node.TerminateAsync();
        Assert.True(await node.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)), node.Output);

        var log = node.Output;
        Assert.Contains($"ElderIoT node listening: HTTP http://127.0.0.1:{node.HttpPort}, device MQTT 127.0.0.1:{node.MqttPort}, Orleans silo port {node.SiloPort}, Orleans gateway port {node.GatewayPort}", log);
        Assert.Contains("Stores: records SQLite in ", log);
        Assert.Contains("Family texts and calls: not configured", log);
        Assert.Contains("ElderIoT node ready", log);
        Assert.Contains($"raised: sos of elder {elder.Id} from device {device.Id}", log);
        Assert.DoesNotContain("Execution attempt", log);
        Assert.DoesNotContain("Participant check thread", log);
    }

    private static async Task<DeviceRegistration> RegisterAsync(NodeProcess node, Guid elderId, string id) =>
        (await (await node.Http.PostAsJsonAsync("/api/devices", new { id, kind = "handset", elderId }, TestNode.Json)).Content.ReadFromJsonAsync<DeviceRegistration>(TestNode.Json))!;

    /// <summary>The PUBACK's reason, or UnspecifiedError when none came (the connection closed).</summary>
    private static async Task<MqttClientPublishReasonCode> TryPublishAsync(MqttDevice device, string json)
    {
        try
        {
            return (await device.PublishEventAsync(json)).ReasonCode;
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            return MqttClientPublishReasonCode.UnspecifiedError;
        }
    }
}
