using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ElderIoT.Api.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Hosting;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;

namespace ElderIoT.Tests.Security;

/// <summary>
/// MQTT over TLS with a CA made for the test: real handshakes by Debian's mosquitto_pub and by the
/// MQTTnet client, device certificates required or refused, and the guard's limits on the TLS listener.
/// </summary>
public sealed class TlsListenerTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task MosquittoPubAndTheMqttnetClientRaiseAnSosOverTlsWhileThePlainListenerIsOff()
    {
        await using var node = await StartAsync();
        var (elder, device) = await node.ElderWithDeviceAsync();

        var (exit, output) = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", TlsPort(node).ToString(), "--cafile", _certificates.CaPath,
            "-i", device.Id, "-u", device.Id, "-P", device.Secret, "-V", "mqttv5", "-q", "1", "-t", $"devices/{device.Id}/events", "-m", Scenario.SosJson("over-tls"));
        await using var client = await ConnectAsync(node, device);
        var published = await client.PublishEventAsync(Scenario.SosJson("over-tls-mqttnet"));

        Assert.True(exit == 0, output);
        Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);
        await TestNode.EventuallyAsync(() => node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"), list => list.Count == 1, "the SOS sent over TLS to raise an alarm");
        // The plain port is not listening at all.
        var plain = await Assert.ThrowsAnyAsync<SocketException>(async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", node.MqttPort);
        });
        Assert.Equal(SocketError.ConnectionRefused, plain.SocketErrorCode);
    }

    [Fact]
    public async Task MosquittoPubRefusesAServerItsCaDidNotIssue()
    {
        await using var node = await StartAsync();
        var (_, device) = await node.ElderWithDeviceAsync();
        using var stranger = new TestCertificates("Some other CA");

        var (exit, _) = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", TlsPort(node).ToString(), "--cafile", stranger.CaPath,
            "-i", device.Id, "-u", device.Id, "-P", device.Secret, "-q", "1", "-t", $"devices/{device.Id}/events", "-m", Scenario.SosJson("wrong-ca"));

        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task WithClientCertificatesRequiredOnlyADeviceWithItsOwnCertificateGetsIn()
    {
        await using var node = await StartAsync(clientCertificates: "Require");
        var (elder, device) = await node.ElderWithDeviceAsync();
        var (_, other) = await node.ElderWithDeviceAsync();
        var own = _certificates.Device(device.Id);
        var foreign = _certificates.Device(other.Id);
        using var limits = new LimitCounter(node);

        await using var withOwn = await ConnectAsync(node, device, own.Certificate);
        var ownConnected = withOwn.Client.IsConnected; // before mosquitto_pub takes the same client id over
        var withForeign = await TryConnectAsync(node, device, foreign.Certificate);
        var without = await Record.ExceptionAsync(() => TryConnectAsync(node, device, certificate: null));
        var (exit, output) = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", TlsPort(node).ToString(), "--cafile", _certificates.CaPath,
            "--cert", own.CertificatePath, "--key", own.KeyPath,
            "-i", device.Id, "-u", device.Id, "-P", device.Secret, "-q", "1", "-t", $"devices/{device.Id}/events", "-m", Scenario.SosJson("with-certificate"));

        Assert.True(ownConnected);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, withForeign);
        Assert.NotNull(without); // the handshake itself fails
        Assert.True(exit == 0, output);
        await TestNode.EventuallyAsync(() => node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"), list => list.Count == 1, "the SOS sent with a device certificate to raise an alarm");
        await TestNode.EventuallyAsync(() => Task.FromResult(limits.Count("tls_handshake_failed", "device-tls")), count => count >= 1, "the refused handshake to be counted");
    }

    [Fact]
    public async Task WithClientCertificatesAllowedADeviceWithoutOneLogsInWithItsSecret()
    {
        await using var node = await StartAsync(clientCertificates: "Allow");
        var (_, device) = await node.ElderWithDeviceAsync();

        await using var withoutCertificate = await ConnectAsync(node, device);

        Assert.True(withoutCertificate.Client.IsConnected);
    }

    [Fact]
    public async Task AClientThatOpensTheTlsPortAndNeverFinishesTheHandshakeIsClosedAndCounted()
    {
        await using var node = await StartAsync(settings: new() { ["Gateway:Limits:TlsHandshakeTimeout"] = "00:00:00.500" });
        using var limits = new LimitCounter(node);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", TlsPort(node));

        var read = await tcp.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, read); // closed by the node
        Assert.Equal(1, limits.Count("tls_handshake_timeout", "device-tls"));
    }

    [Fact]
    public async Task AnOversizedPacketOverTlsIsRefusedOnItsHeaderLikeOnThePlainListener()
    {
        await using var node = await StartAsync();
        using var limits = new LimitCounter(node);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", TlsPort(node));
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && Chains(certificate),
        });

        // A CONNECT announcing 200 MB (remaining length 0xFF 0xFF 0xFF 0x5F), then nothing of its body.
        await tls.WriteAsync(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0x5F });
        var read = await tls.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, read);
        Assert.Equal(1, limits.Count("packet_too_large", "device-tls"));
    }

    private bool Chains(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_certificates.TrustChain);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private Task<TestNode> StartAsync(string clientCertificates = "None", Dictionary<string, string?>? settings = null)
    {
        var all = _certificates.NodeSettings(FreePort.Next(), plainListener: false, clientCertificates);
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return TestNode.StartAsync(all);
    }

    private static int TlsPort(TestNode node) => node.Services.GetRequiredService<DeviceGateway>().TlsPort!.Value;

    private async Task<MqttDevice> ConnectAsync(TestNode node, DeviceRegistration device, X509Certificate2? certificate = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(node, device, certificate));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return MqttDevice.Wrap(client, device.Id);
    }

    private async Task<MqttClientConnectResultCode> TryConnectAsync(TestNode node, DeviceRegistration device, X509Certificate2? certificate)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        return (await client.ConnectAsync(Options(node, device, certificate))).ResultCode;
    }

    private MqttClientOptions Options(TestNode node, DeviceRegistration device, X509Certificate2? certificate) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", TlsPort(node))
            .WithClientId(device.Id)
            .WithCredentials(device.Id, device.Secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost("localhost").WithTrustChain(_certificates.TrustChain);
                if (certificate is not null)
                {
                    tls.WithClientCertificates([certificate]);
                }
            })
            .Build();
}
