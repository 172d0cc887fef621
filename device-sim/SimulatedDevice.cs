using System.Diagnostics;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ElderIoT.DeviceSim;

/// <summary>
/// One device behaving like firmware: connects with its id and secret, reports telemetry at QoS 0,
/// sends events at QoS 1 and repeats them with the same id until they are acknowledged, and
/// reconnects with exponential backoff when the connection drops.
/// </summary>
internal sealed class SimulatedDevice(string id, string secret, DeviceState state, Random random, SimOptions options, RunReport report) : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public string Id { get; } = id;

    public DeviceState State { get; } = state;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            report.Command(Id, e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                var result = await _client.ConnectAsync(Options(), cancellationToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"connect refused: {result.ResultCode}");
                }

                await _client.SubscribeAsync($"devices/{Id}/commands", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
                report.Connected();
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                report.Error($"{Id}: {exception.Message}; retrying in {delay.TotalSeconds:0.#} s");
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }
    }

    public async Task SendTelemetryAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureConnectedAsync(cancellationToken))
        {
            return;
        }

        var payload = PayloadFactory.Reading(State, random, DateTimeOffset.UtcNow);
        await _client.PublishAsync(Message($"devices/{Id}/telemetry", payload, MqttQualityOfServiceLevel.AtMostOnce), cancellationToken);
        report.TelemetrySent();
    }

    /// <summary>Sends an event until the broker acknowledges it; returns the publish time of the acknowledged attempt.</summary>
    public async Task<DateTimeOffset?> SendEventAsync(string type, CancellationToken cancellationToken)
    {
        var eventId = $"{Id}-{type}-{random.Next():x8}";
        var payload = PayloadFactory.Event(eventId, type, State, DateTimeOffset.UtcNow);
        report.EventSent();
        for (var attempt = 1; attempt <= 5 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                if (!await EnsureConnectedAsync(cancellationToken))
                {
                    continue;
                }

                var publishedAt = DateTimeOffset.UtcNow;
                var started = Stopwatch.GetTimestamp();
                var result = await _client.PublishAsync(Message($"devices/{Id}/events", payload, MqttQualityOfServiceLevel.AtLeastOnce), cancellationToken);
                if (result.IsSuccess)
                {
                    report.EventAcknowledged(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    return publishedAt;
                }

                report.Error($"{Id}: {type} {eventId} refused: {result.ReasonCode} {result.ReasonString}");
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                report.Error($"{Id}: {type} {eventId} attempt {attempt}: {exception.Message}");
            }

            await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
        }

        report.EventLost(eventId);
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private async Task<bool> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return true;
        }

        report.Reconnecting();
        await ConnectAsync(cancellationToken);
        return _client.IsConnected;
    }

    private MqttClientOptions Options() => new MqttClientOptionsBuilder()
        .WithTcpServer(options.MqttHost, options.MqttPort)
        .WithClientId(Id)
        .WithCredentials(Id, secret)
        .WithProtocolVersion(options.Mqtt311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
        .WithCleanSession(false)
        .WithTimeout(TimeSpan.FromSeconds(15))
        .Build();

    private static MqttApplicationMessage Message(string topic, string payload, MqttQualityOfServiceLevel qos) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload)).WithQualityOfServiceLevel(qos).Build();
}
