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
internal sealed class SimulatedDevice(string id, string secret, ElderBehaviour behaviour, Random random, SimOptions options, RunReport report) : IAsyncDisposable
{
    private readonly Queue<(string Type, string EventId, DateTimeOffset At)> _offlineEvents = new();
    private DateTimeOffset? _lastReading;
    private readonly SemaphoreSlim _connection = new(1, 1);
    private bool _listening;
    private bool _offline;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public string Id { get; } = id;

    public ElderBehaviour Behaviour { get; } = behaviour;

    /// <summary>Off line on purpose (a scenario); it does not reconnect by itself.</summary>
    public bool IsOffline => _offline;

    public bool IsConnected => !_offline && _client.IsConnected;

    /// <summary>Scenario "silent": the device stops reporting (flat battery, left in a drawer).</summary>
    public bool Silent { get; set; }

    /// <summary>Set by the centre's <c>config</c> command while a wandering alarm is open; null is the normal interval.</summary>
    public TimeSpan? ReportEvery { get; private set; }

    /// <summary>Scenario "locate": this device ignores the centre's <c>locate</c> command (old firmware).</summary>
    public bool IgnoresLocate { get; set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (!_listening)
        {
            _listening = true;
            _client.ApplicationMessageReceivedAsync += e =>
            {
                var payload = e.ApplicationMessage.ConvertPayloadToString();
                report.Command(Id, payload);
                if (payload.Contains("\"type\":\"locate\"", StringComparison.Ordinal) && !IgnoresLocate)
                {
                    // Answer with a fix at once, off the client's receive loop.
                    _ = Task.Run(() => SendTelemetryAsync(CancellationToken.None));
                }
                else if (payload.Contains("\"type\":\"config\"", StringComparison.Ordinal))
                {
                    ReportEvery = ConfigCommand.ReportEvery(payload);
                }

                return Task.CompletedTask;
            };
        }

        _offline = false;
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
        if (_offline || !await EnsureConnectedAsync(cancellationToken))
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var reading = Behaviour.Step(now, now - (_lastReading ?? now));
        _lastReading = now;
        if (Silent)
        {
            return;
        }

        var payload = PayloadFactory.Reading(reading, now);
        await _client.PublishAsync(Message($"devices/{Id}/telemetry", payload, MqttQualityOfServiceLevel.AtMostOnce), cancellationToken);
        report.TelemetrySent();
    }

    /// <summary>Sends an event until the broker acknowledges it; returns the publish time of the acknowledged attempt.</summary>
    public Task<DateTimeOffset?> SendEventAsync(string type, CancellationToken cancellationToken) =>
        SendEventAsync(type, $"{Id}-{type}-{random.Next():x8}", DateTimeOffset.UtcNow, cancellationToken);

    /// <summary>Scenario "late-sos": the connection drops, the elder presses SOS, firmware keeps it until it is back online.</summary>
    public async Task GoOfflineAsync()
    {
        await _connection.WaitAsync();
        try
        {
            _offline = true;
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }
        }
        finally
        {
            _connection.Release();
        }
    }

    public void BufferEvent(string type) => _offlineEvents.Enqueue((type, $"{Id}-{type}-{random.Next():x8}", DateTimeOffset.UtcNow));

    /// <summary>Reconnects and sends what was buffered, oldest first, with the times they happened.</summary>
    public async Task<List<DateTimeOffset>> ReconnectAndFlushAsync(CancellationToken cancellationToken)
    {
        _offline = false;
        await EnsureConnectedAsync(cancellationToken);
        var acknowledged = new List<DateTimeOffset>();
        while (_offlineEvents.TryDequeue(out var buffered))
        {
            if (await SendEventAsync(buffered.Type, buffered.EventId, buffered.At, cancellationToken) is { } at)
            {
                acknowledged.Add(at);
            }
        }

        return acknowledged;
    }

    private async Task<DateTimeOffset?> SendEventAsync(string type, string eventId, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        var payload = PayloadFactory.Event(eventId, type, Behaviour.Lat, Behaviour.Lon, occurredAt);
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

        // One connect at a time: the telemetry loop, a scenario and a reconnect storm may all try.
        await _connection.WaitAsync(cancellationToken);
        try
        {
            if (!_client.IsConnected && !_offline)
            {
                report.Reconnecting();
                await ConnectAsync(cancellationToken);
            }
        }
        finally
        {
            _connection.Release();
        }

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
