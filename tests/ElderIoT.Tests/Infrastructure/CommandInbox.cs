using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>What a device receives on its commands topic, in arrival order.</summary>
internal sealed class CommandInbox
{
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();

    /// <summary>Listens on a client; attach before it connects to see what a resumed session delivers at once.</summary>
    public CommandInbox(IMqttClient client)
    {
        client.ApplicationMessageReceivedAsync += e =>
        {
            _received.Writer.TryWrite(JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString()).RootElement.Clone());
            return Task.CompletedTask;
        };
    }

    /// <summary>Listens, and subscribes to the device's commands topic at QoS 1.</summary>
    public static async Task<CommandInbox> OpenAsync(MqttDevice device)
    {
        var inbox = new CommandInbox(device.Client);
        await device.Client.SubscribeAsync($"devices/{device.Id}/commands", MqttQualityOfServiceLevel.AtLeastOnce);
        return inbox;
    }

    public async Task<JsonElement> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("No command arrived at the device in time.");
        }
    }

    /// <summary>Commands received so far and not yet read.</summary>
    public int Unread => _received.Reader.Count;
}
