using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>A device as a real MQTT client (MQTTnet) sees the broker.</summary>
internal sealed class MqttDevice : IAsyncDisposable
{
    private MqttDevice(IMqttClient client, string id)
    {
        Client = client;
        Id = id;
    }

    public IMqttClient Client { get; }

    public string Id { get; }

    public static async Task<MqttClientConnectResultCode> TryConnectAsync(
        int port, string clientId, string userName, string password, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = Options(port, clientId, userName, password, version);
        return (await client.ConnectAsync(options)).ResultCode;
    }

    /// <param name="cleanSession">False asks for a persistent session (3.1.1 clean session off; 5.0 clean start off with a one-hour session expiry).</param>
    /// <param name="beforeConnect">Sets up the client before it connects (a resumed session may deliver at once).</param>
    public static async Task<MqttDevice> ConnectAsync(
        int port, string id, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500, bool cleanSession = true, Action<IMqttClient>? beforeConnect = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        beforeConnect?.Invoke(client);
        var result = await client.ConnectAsync(Options(port, id, id, secret, version, cleanSession));
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"Device {id} could not connect: {result.ResultCode} {result.ReasonString}");
        }

        return new MqttDevice(client, id);
    }

    /// <summary>A device around a client the test connected itself (say, from another source address).</summary>
    public static MqttDevice Wrap(IMqttClient connected, string id) => new(connected, id);

    public Task<MqttClientPublishResult> PublishEventAsync(string json) => PublishAsync($"devices/{Id}/events", json);

    public Task<MqttClientPublishResult> PublishAsync(string topic, string payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce) =>
        Client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(qos)
            .Build());

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            await Client.DisconnectAsync();
        }

        Client.Dispose();
    }

    private static MqttClientOptions Options(int port, string clientId, string userName, string password, MqttProtocolVersion version, bool cleanSession = true) =>
        new MqttClientOptionsBuilder()
            .WithCleanSession(cleanSession)
            .WithSessionExpiryInterval(cleanSession || version != MqttProtocolVersion.V500 ? 0u : 3600u)
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithCredentials(userName, password)
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(20))
            .Build();
}
