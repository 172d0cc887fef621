using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.Gateway;

/// <summary>The device listener under clients that are not devices: what they may cost the node.</summary>
[Collection(GuardNodeCollection.Name)]
public sealed class ConnectionGuardTests(GuardNodeFixture fixture)
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task AConnectAnnouncing64MegabytesIsClosedBeforeItIsRead()
    {
        using var counter = new LimitCounter(Node);
        using var socket = await RawMqttSocket.ConnectAsync(Node.MqttPort);

        await socket.SendAsync([.. RawMqttSocket.FixedHeader(type: 1, remainingLength: 64 * 1024 * 1024), .. new byte[1024]]);

        Assert.Empty(await socket.ReadUntilClosedAsync(Quickly));
        Assert.Equal(1, counter.Count("packet_too_large"));
    }

    [Fact]
    public async Task AnOversizedPacketAfterLoginClosesTheConnectionButAnOversizedPayloadBelowTheLimitIsRefusedWithAReason()
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        using var counter = new LimitCounter(Node);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        // 100 KB: over Gateway:MaxPayloadBytes (64 KiB) but within the packet limit (128 KiB).
        var refused = await watch.PublishAsync($"devices/{device.Id}/telemetry", new string('x', 100_000));
        var sos = await watch.PublishEventAsync(Scenario.SosJson("after-large"));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.Client.DisconnectedAsync += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        _ = watch.PublishAsync($"devices/{device.Id}/telemetry", new string('x', 200_000), MqttQualityOfServiceLevel.AtMostOnce);

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, refused.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, sos.ReasonCode);
        await closed.Task.WaitAsync(Quickly);
        Assert.Equal(1, counter.Count("packet_too_large"));
    }

    [Fact]
    public async Task ASocketThatSendsNothingIsClosedAfterTheConnectTimeout()
    {
        using var counter = new LimitCounter(Node);
        using var silent = await RawMqttSocket.ConnectAsync(Node.MqttPort);
        using var trickle = await RawMqttSocket.ConnectAsync(Node.MqttPort);

        // The second sends the start of a CONNECT and then stalls: the timeout is for the whole packet.
        await trickle.SendAsync(RawMqttSocket.FixedHeader(type: 1, remainingLength: 40));

        Assert.Empty(await silent.ReadUntilClosedAsync(Quickly));
        Assert.Empty(await trickle.ReadUntilClosedAsync(Quickly));
        Assert.Equal(2, counter.Count("connect_timeout"));
    }

    [Fact]
    public async Task ConnectionsBeyondThePerAddressAndTotalLimitsAreClosedAtAcceptWhileDevicesWithinThemConnect()
    {
        using var counter = new LimitCounter(Node);
        var devices = new List<MqttDevice>();
        try
        {
            for (var i = 0; i < GuardNodeFixture.MaxConnectionsPerAddress; i++)
            {
                devices.Add(await ConnectNewDeviceAsync("127.0.0.1"));
            }

            using (var overAddress = await RawMqttSocket.ConnectAsync(Node.MqttPort, "127.0.0.1"))
            {
                Assert.Empty(await overAddress.ReadUntilClosedAsync(Quickly));
            }

            Assert.Equal(1, counter.Count("address_connections"));

            // Other addresses still get in, up to the total.
            for (var i = GuardNodeFixture.MaxConnectionsPerAddress; i < GuardNodeFixture.MaxConnections; i++)
            {
                devices.Add(await ConnectNewDeviceAsync($"127.0.0.{i + 2}"));
            }

            using (var overTotal = await RawMqttSocket.ConnectAsync(Node.MqttPort, "127.0.0.20"))
            {
                Assert.Empty(await overTotal.ReadUntilClosedAsync(Quickly));
            }

            Assert.Equal(1, counter.Count("total_connections"));
            Assert.All(devices, d => Assert.True(d.Client.IsConnected));
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }

        // Slots are given back when devices leave.
        await TestNode.EventuallyAsync(
            async () =>
            {
                try
                {
                    await using var again = await ConnectNewDeviceAsync("127.0.0.1");
                    return true;
                }
                catch (Exception exception) when (exception is InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException)
                {
                    return false;
                }
            },
            connected => connected,
            "a free slot once the devices disconnected");
    }

    [Fact]
    public async Task AfterRepeatedBadSecretsLoginsOfThatIdAreSlowedButTheRightSecretStillGetsIn()
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        using var counter = new LimitCounter(Node);

        var wrong = new List<MqttClientConnectResultCode>();
        for (var i = 0; i <= GuardNodeFixture.FailedLoginsPerClientId; i++)
        {
            wrong.Add(await MqttDevice.TryConnectAsync(Node.MqttPort, device.Id, device.Id, $"guess-{i}"));
        }

        var right = await MqttDevice.TryConnectAsync(Node.MqttPort, device.Id, device.Id, device.Secret, MqttProtocolVersion.V311);

        Assert.All(wrong, code => Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code));
        Assert.Equal(MqttClientConnectResultCode.Success, right);
        Assert.Equal(2, counter.Count("failed_logins_client_id")); // the third guess and the right secret were both held back
        var afterSuccess = await MqttDevice.TryConnectAsync(Node.MqttPort, device.Id, device.Id, device.Secret);
        Assert.Equal(MqttClientConnectResultCode.Success, afterSuccess);
        Assert.Equal(2, counter.Count("failed_logins_client_id")); // the right secret cleared the id's failures
    }

    [Fact]
    public async Task HugeAndMultiLineClientIdsAndTopicsGiveBoundedSingleLineLogEntries()
    {
        var huge = new string('A', 60_000);
        const string forged = "evil\r\n2026-11-25 info: Device gateway accepted admin";

        var hugeResult = await MqttDevice.TryConnectAsync(Node.MqttPort, huge, huge, "x");
        var forgedResult = await MqttDevice.TryConnectAsync(Node.MqttPort, forged, forged, "x", MqttProtocolVersion.V311);
        var (_, device) = await Node.ElderWithDeviceAsync();
        await using (var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret))
        {
            var refused = await watch.PublishAsync($"devices/{device.Id}/events\r\nforged\u2028line/" + new string('t', 5_000), Scenario.SosJson("x"));
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        }

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, hugeResult);
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, forgedResult);
        var entries = Node.Logs.Entries.Where(e => e.Message.Contains("AAAAAAAA") || e.Message.Contains("evil") || e.Message.Contains("forged")).ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.True(e.Message.Length < 1_000, $"{e.Message.Length} characters logged");
            Assert.DoesNotContain('\r', e.Message);
            Assert.DoesNotContain('\n', e.Message);
            Assert.DoesNotContain('\u2028', e.Message);
        });
        Assert.Contains(entries, e => e.Message.Contains("evil\\r\\n2026-11-25"));
        Assert.Contains(entries, e => e.Message.Contains("(+59"));
    }

    [Fact]
    public async Task TheDeviceListenerAnswersOnLoopbackOnlyByDefault()
    {
        var elsewhere = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
            .Append(IPAddress.IPv6Loopback)
            .ToList();

        foreach (var address in elsewhere)
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(new IPEndPoint(address, Node.MqttPort)));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        using var loopback = await RawMqttSocket.ConnectAsync(Node.MqttPort);
        Assert.True(loopback.Socket.Connected);
    }

    private async Task<MqttDevice> ConnectNewDeviceAsync(string source)
    {
        var (_, registration) = await Node.ElderWithDeviceAsync();
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Node.MqttPort)
            .WithClientId(registration.Id)
            .WithCredentials(registration.Id, registration.Secret)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        ((MqttClientTcpOptions)options.ChannelOptions).LocalEndpoint = new IPEndPoint(IPAddress.Parse(source), 0);
        try
        {
            await client.ConnectAsync(options);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return MqttDevice.Wrap(client, registration.Id);
    }
}
