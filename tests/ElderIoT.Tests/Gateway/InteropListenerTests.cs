using System.Net.Http.Json;
using System.Text.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.Gateway;

/// <summary>
/// The opt-in interoperability listener, driven by Debian's mosquitto clients: plain MQTT works
/// there, and nothing of it reaches devices, the device pipeline, or the device listener's rules.
/// </summary>
[Collection(GuardNodeCollection.Name)]
public sealed class InteropListenerTests(GuardNodeFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private TestNode Node => fixture.Node;

    private string Port => fixture.InteropPort.ToString();

    [Fact]
    public async Task StandardClientsPublishAndSubscribeAtEveryQoS()
    {
        var topic = $"interop/{Guid.NewGuid():N}";
        await using var subscriber = await SubscribeAsync("sub-qos", $"{topic}/#", count: 3);

        foreach (var qos in new[] { "0", "1", "2" })
        {
            var (exit, output) = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", Port, "-i", $"pub-qos{qos}", "-V", "mqttv311", "-q", qos, "-t", $"{topic}/q{qos}", "-m", $"at qos {qos}");
            Assert.True(exit == 0, output);
        }

        var received = Lines(await subscriber.OutputWhenExitedAsync(Within));
        Assert.Equal([$"{topic}/q0 at qos 0", $"{topic}/q1 at qos 1", $"{topic}/q2 at qos 2"], received.Order());
    }

    [Fact]
    public async Task ARetainedMessageReachesALaterSubscriber()
    {
        var topic = $"interop/{Guid.NewGuid():N}/retained";
        var (exit, output) = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", Port, "-i", "pub-retained", "-V", "mqttv5", "-q", "1", "-r", "-t", topic, "-m", "kept");
        Assert.True(exit == 0, output);

        var (subscribed, received) = await ExternalProcess.RunAsync("mosquitto_sub", "-h", "127.0.0.1", "-p", Port, "-i", "sub-retained", "-V", "mqttv5", "-t", topic, "-C", "1", "-v", "-W", "15");

        Assert.True(subscribed == 0, received);
        Assert.Equal([$"{topic} kept"], Lines(received));
    }

    [Fact]
    public async Task AClientsWillIsPublishedWhenItVanishes()
    {
        var topic = $"interop/{Guid.NewGuid():N}/will";
        await using var watcher = await SubscribeAsync("sub-will", topic, count: 1);
        var doomed = await SubscribeAsync("doomed", $"interop/{Guid.NewGuid():N}/nothing", count: 1, "--will-topic", topic, "--will-payload", "gone", "--will-qos", "1");

        await doomed.DisposeAsync(); // killed: no DISCONNECT, so the broker sends the will

        Assert.Equal([$"{topic} gone"], Lines(await watcher.OutputWhenExitedAsync(Within)));
    }

    [Fact]
    public async Task WhatIsPublishedOnTheInteropListenerNeverReachesDevicesOrThePipeline()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var received = new List<string>();
        var first = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.Client.ApplicationMessageReceivedAsync += e =>
        {
            first.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await watch.Client.SubscribeAsync(Mqtt(device.Id), MqttQualityOfServiceLevel.AtLeastOnce);

        var sos = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", Port, "-i", "intruder-sos", "-q", "1", "-t", $"devices/{device.Id}/events", "-m", Scenario.SosJson("via-interop"));
        var command = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", Port, "-i", "intruder-cmd", "-q", "1", "-t", $"devices/{device.Id}/commands", "-m", """{"type":"from-interop"}""");
        using var real = await Node.Http.PostAsJsonAsync($"/api/devices/{device.Id}/commands", new { type = "locate" });

        Assert.True(sos.ExitCode == 0 && command.ExitCode == 0, sos.Output + command.Output);
        real.EnsureSuccessStatusCode();
        var delivered = JsonDocument.Parse(await first.Task.WaitAsync(Within)).RootElement;
        Assert.Equal("locate", delivered.GetProperty("type").GetString()); // the centre's, not the interop client's
        Assert.True(delivered.TryGetProperty("id", out _), "a command from the centre carries its id");
        Assert.Empty(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));
    }

    [Fact]
    public async Task WhatDevicesPublishIsNeverSeenOnTheInteropListener()
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        var marker = $"interop/{Guid.NewGuid():N}/marker";
        await using var everything = await SubscribeAsync("sub-all", "#", count: 1);
        await using (var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret))
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(Scenario.SosJson("device-side"))).ReasonCode);
        }

        await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", Port, "-i", "pub-marker", "-q", "1", "-t", marker, "-m", "marker");

        // The first thing the interop subscriber of '#' sees is the marker sent after the device's SOS.
        Assert.Equal([$"{marker} marker"], Lines(await everything.OutputWhenExitedAsync(Within)));
    }

    [Fact]
    public async Task TheDeviceListenerStillRefusesAnonymousClientsAndForeignTopicsWhileInteropIsOn()
    {
        var (_, device) = await Node.ElderWithDeviceAsync();

        var anonymous = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", Node.MqttPort.ToString(), "-i", "anon", "-V", "mqttv5", "-q", "1", "-t", "interop/x", "-m", "x");
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var wildcard = await watch.Client.SubscribeAsync("#", MqttQualityOfServiceLevel.AtLeastOnce);
        var freeTopic = await watch.PublishAsync("interop/x", "x");

        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(wildcard.Items).ResultCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, freeTopic.ReasonCode);
    }

    private static string Mqtt(string deviceId) => $"devices/{deviceId}/commands";

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Client ", StringComparison.Ordinal) && !l.StartsWith("Subscribed (", StringComparison.Ordinal)) // mosquitto's -d chatter
            .ToArray();

    /// <summary>Starts mosquitto_sub and returns once the broker has acknowledged the subscription.</summary>
    private async Task<ExternalProcess> SubscribeAsync(string clientId, string filter, int count, params string[] more)
    {
        // stdbuf: mosquitto_sub's stdout is a pipe here, and its debug lines would sit in a buffer.
        var subscriber = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", Port, "-i", clientId, "-q", "2", "-t", filter, "-C", count.ToString(), "-v", "-d", .. more]);
        try
        {
            await TestNode.EventuallyAsync(() => Task.FromResult(subscriber.Output), o => o.Contains("received SUBACK") || subscriber.HasExited, $"{clientId}'s SUBACK", Within);
            Assert.Contains("received SUBACK", subscriber.Output);
            return subscriber;
        }
        catch
        {
            await subscriber.DisposeAsync();
            throw;
        }
    }
}
