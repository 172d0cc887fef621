using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ElderIoT.DeviceSim;

/// <summary>
/// Load mode: provisions (or reuses) many devices and connects them at a fixed rate, then runs three
/// phases: hold (every device reports at its interval while elders press SOS), saturation (publishers
/// back to back), and loaded (all devices together publish at a fraction of the saturation rate while
/// elders press SOS again: the alarm latency the targets speak of). The same publishers and payloads
/// run against ElderIoT or a plain broker.
/// </summary>
internal sealed class LoadRun(SimOptions common, LoadOptions load, HttpClient http, LiveProgress progress)
{
    private readonly ConcurrentDictionary<string, (long SentAt, ConcurrentQueue<double> Phase)> _sosSentAt = new();
    private ConcurrentQueue<double> _sosMs = new();
    private long _alarmsSeen;
    private long _acked;
    private long _sent;
    private long _errors;
    private long _subscriberReceived;
    private volatile string _phase = "provisioning";
    private IMqttClient?[] _clients = [];
    private NodeStats? _lastStats;

    private bool IsElderIoT => load.Target == "elderiot";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        progress.Say($"load: {load.Devices} devices → {load.Target} at {common.MqttHost}:{common.MqttPort}, QoS {load.Qos}, ramp {load.RampPerSecond}/s, {load.SourceAddresses} source address(es)");
        var credentials = IsElderIoT ? await ProvisionAsync(cancellationToken) : [.. Enumerable.Range(0, load.Devices).Select(i => ($"load-{i:D6}", ""))];
        var before = await StatsAsync();

        // Observe: ElderIoT's own counters, or a plain subscriber on the reference broker.
        await using var observer = IsElderIoT ? null : await SubscriberAsync(cancellationToken);
        using var background = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var seat = IsElderIoT ? Task.Run(() => WatchSeatAsync(background.Token), CancellationToken.None) : Task.CompletedTask;
        var stats = IsElderIoT ? Task.Run(() => PollStatsAsync(background.Token), CancellationToken.None) : Task.CompletedTask;
        _clients = new IMqttClient?[credentials.Count];
        var display = progress.ShowAsync(Snapshot, background.Token);

        _phase = "connecting";
        var connectClock = Stopwatch.StartNew();
        await ConnectAllAsync(credentials, cancellationToken);
        var connectSeconds = connectClock.Elapsed.TotalSeconds;
        var connected = _clients.Count(c => c?.IsConnected == true);
        var afterConnect = await StatsAsync();
        progress.Say($"connected {connected} of {credentials.Count} in {connectSeconds:0.0} s ({connected / connectSeconds:0} connects/s)");

        var online = Enumerable.Range(0, _clients.Length).Where(i => _clients[i]?.IsConnected == true).ToList();
        var held = await PacedAsync("hold", credentials, online, load.Interval, cancellationToken);
        var flood = await FloodAsync(credentials, online, cancellationToken);
        // At QoS 0 nothing is acknowledged, and a publisher can send faster than the broker takes in:
        // the rate the system processed is its saturation.
        var saturationRate = load.Qos == 1 ? flood.AcknowledgedPerSecond : Math.Min(flood.SentPerSecond, flood.ProcessedBySystemPerSecond);
        var loaded = load.LoadFraction > 0 && saturationRate > 0 && online.Count > 0
            ? await PacedAsync($"loaded at {load.LoadFraction:P0} of saturation", credentials, online, TimeSpan.FromSeconds(online.Count / (load.LoadFraction * saturationRate)), cancellationToken)
            : null;

        _phase = "disconnecting";
        await background.CancelAsync();
        await Quiet(Task.WhenAll(seat, stats, display));
        await Task.WhenAll(_clients.OfType<IMqttClient>().Select(async c =>
        {
            await Quiet(c.DisconnectAsync());
            c.Dispose();
        }));

        var lost = load.Qos == 1 ? Interlocked.Read(ref _sent) - Interlocked.Read(ref _acked) : 0;
        var result = new
        {
            target = load.Target,
            qos = load.Qos,
            devices = load.Devices,
            connected,
            connectsPerSecond = Math.Round(connected / connectSeconds),
            hostMemoryPerDeviceBytes = IsElderIoT && connected > 0 ? (afterConnect!.WorkingSetBytes - before!.WorkingSetBytes) / connected : (long?)null,
            hold = held,
            saturation = flood,
            loaded = loaded is null ? null : new { fraction = load.LoadFraction, targetPerSecond = Math.Round(load.LoadFraction * saturationRate), phase = loaded },
            errors = Interlocked.Read(ref _errors),
            lostAtQos1 = lost,
        };
        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        Console.WriteLine(json);
        if (load.Out is { } path)
        {
            await File.WriteAllTextAsync(path, json, cancellationToken);
        }

        return lost == 0 && connected == credentials.Count ? 0 : 1;
    }

    private ProgressSnapshot Snapshot()
    {
        var clients = _clients;
        var queue = _sosMs;
        return new ProgressSnapshot(
            _phase,
            clients.Count(c => c?.IsConnected == true),
            load.Devices,
            Interlocked.Read(ref _sent),
            load.Qos == 1 ? Interlocked.Read(ref _sent) : 0,
            Interlocked.Read(ref _acked),
            IsElderIoT ? _lastStats?.ReadingsProcessed : Interlocked.Read(ref _subscriberReceived),
            Interlocked.Read(ref _alarmsSeen),
            queue,
            Interlocked.Read(ref _errors));
    }

    private async Task<List<(string Id, string Secret)>> ProvisionAsync(CancellationToken cancellationToken)
    {
        var path = load.Credentials ?? Path.Combine(Path.GetTempPath(), $"elderiot-load-{common.Api.Host}-{common.Api.Port}.json");
        if (File.Exists(path))
        {
            var cached = JsonSerializer.Deserialize<List<string[]>>(await File.ReadAllTextAsync(path, cancellationToken)) ?? [];
            // Reused only where the node still knows them: the same address may now serve a fresh database.
            if (cached.Count >= load.Devices && await new ApiClient(http).DeviceExistsAsync(cached[0][0], cancellationToken))
            {
                progress.Say($"reusing {load.Devices} provisioned devices from {path}");
                return [.. cached.Take(load.Devices).Select(c => (c[0], c[1]))];
            }
        }

        var api = new ApiClient(http);
        var run = Guid.NewGuid().ToString("N")[..6];
        var provisioned = new ConcurrentBag<(int Index, string Id, string Secret)>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, load.Devices), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var elder = PayloadFactory.Elder(common.Seed, i, common.District);
            var elderId = await api.CreateElderAsync(elder.Body, ct);
            var id = $"load-{run}-{i:D6}";
            provisioned.Add((i, id, await api.RegisterDeviceAsync(id, "watch", elderId, ct)));
            if (provisioned.Count % 5000 == 0)
            {
                progress.Say($"provisioned {provisioned.Count} devices ({provisioned.Count / clock.Elapsed.TotalSeconds:0}/s)");
            }
        });
        var list = provisioned.OrderBy(p => p.Index).Select(p => (p.Id, p.Secret)).ToList();
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(list.Select(c => new[] { c.Id, c.Secret })), cancellationToken);
        return list;
    }

    private async Task ConnectAllAsync(List<(string Id, string Secret)> credentials, CancellationToken cancellationToken)
    {
        var factory = new MqttClientFactory();
        var perTick = Math.Max(1, load.RampPerSecond / 10);
        for (var start = 0; start < credentials.Count; start += perTick)
        {
            var tick = Task.Delay(100, cancellationToken);
            var batch = Enumerable.Range(start, Math.Min(perTick, credentials.Count - start));
            await Task.WhenAll(batch.Select(async i =>
            {
                var client = factory.CreateMqttClient();
                _clients[i] = client;
                var (id, secret) = credentials[i];
                // Several loopback source addresses: one address has only ~28 000 ephemeral ports.
                var source = IPAddress.Parse($"127.0.0.{load.FirstSourceAddress + (i % load.SourceAddresses)}");
                var options = new MqttClientOptionsBuilder()
                    .WithTcpServer(common.MqttHost, common.MqttPort)
                    .WithClientId(id)
                    .WithCredentials(id, secret)
                    .WithProtocolVersion(common.Mqtt311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
                    .WithKeepAlivePeriod(TimeSpan.FromMinutes(5))
                    .WithTimeout(TimeSpan.FromSeconds(60))
                    .Build();
                ((MqttClientTcpOptions)options.ChannelOptions).LocalEndpoint = new IPEndPoint(source, 0);
                try
                {
                    var result = await client.ConnectAsync(options, cancellationToken);
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        Interlocked.Increment(ref _errors);
                    }
                }
                catch (Exception)
                {
                    // A connect cut short by Ctrl+C is not a broker error; the stop itself surfaces at the tick below.
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref _errors);
                    }
                }
            }));
            await tick;
        }
    }

    /// <summary>
    /// Every device publishes once per <paramref name="period"/>, spread over it as real devices are,
    /// on a fixed schedule (a late publish does not push the next one back), while elders press SOS.
    /// </summary>
    private async Task<PhaseResult> PacedAsync(string phase, List<(string Id, string Secret)> credentials, List<int> online, TimeSpan period, CancellationToken cancellationToken)
    {
        _phase = phase;
        _sosMs = new ConcurrentQueue<double>();
        var sos = _sosMs;
        var sosAcked = new ConcurrentQueue<double>();
        var start = await MarkAsync();
        var clock = Stopwatch.StartNew();
        var alarms = IsElderIoT && load.SosCount > 0
            ? Task.Run(() => SosAsync(credentials, online, sos, sosAcked, clock, cancellationToken), cancellationToken)
            : Task.CompletedTask;
        var random = new Random(common.Seed);
        var publishing = Task.WhenAll(online.Select(async i =>
        {
            var next = TimeSpan.FromTicks((long)(random.NextDouble() * period.Ticks));
            var behaviour = new ElderBehaviour(32.06, 118.78, new Random(common.Seed + i));
            while (next < load.Hold)
            {
                if (next - clock.Elapsed is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                await PublishReadingAsync(_clients[i]!, credentials[i].Id, behaviour, cancellationToken);
                next += period;
            }
        }));
        await publishing;
        var elapsed = clock.Elapsed;
        await alarms;
        var result = await PhaseResultAsync(start, elapsed, IsElderIoT ? sos : null) with
        {
            SosToPubAckMs = IsElderIoT ? LatencyResult.Of(sosAcked) : null,
        };
        progress.Say($"{phase}: {result.Readings} readings in {result.Seconds:0} s ({result.SentPerSecond:0}/s sent, {result.AcknowledgedPerSecond:0}/s acknowledged)");
        if (IsElderIoT)
        {
            progress.Say($"  SOS → PUBACK (alarm stored) {Percentiles.Describe(sosAcked)}");
            progress.Say($"  SOS → seat stream           {Percentiles.Describe(sos)}");
        }

        return result;
    }

    private async Task<PhaseResult> FloodAsync(List<(string Id, string Secret)> credentials, List<int> online, CancellationToken cancellationToken)
    {
        _phase = "saturation";
        var start = await MarkAsync();
        var publishers = online.Take(load.FloodPublishers).ToList();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(publishers.Select(async i =>
        {
            var behaviour = new ElderBehaviour(32.06, 118.78, new Random(i));
            while (clock.Elapsed < load.Flood)
            {
                await PublishReadingAsync(_clients[i]!, credentials[i].Id, behaviour, cancellationToken);
                if (load.Qos == 0)
                {
                    await Task.Yield();
                }
            }
        }));
        var result = await PhaseResultAsync(start, clock.Elapsed, sos: null);
        progress.Say($"saturation: {publishers.Count} publishers, {result.SentPerSecond:0} sent/s, {result.AcknowledgedPerSecond:0} acknowledged/s");
        return result;
    }

    /// <summary>The counters at the start of a phase.</summary>
    private async Task<PhaseMark> MarkAsync() =>
        new(Interlocked.Read(ref _sent), Interlocked.Read(ref _acked), Interlocked.Read(ref _subscriberReceived), await StatsAsync());

    private async Task<PhaseResult> PhaseResultAsync(PhaseMark start, TimeSpan elapsed, IReadOnlyCollection<double>? sos)
    {
        var seconds = elapsed.TotalSeconds;
        var end = await MarkAsync();
        var sent = end.Sent - start.Sent;
        var acked = end.Acknowledged - start.Acknowledged;
        var processed = IsElderIoT
            ? end.Stats!.ReadingsProcessed - start.Stats!.ReadingsProcessed
            : end.SubscriberReceived - start.SubscriberReceived;
        return new PhaseResult(
            Math.Round(seconds, 1),
            sent,
            Math.Round(sent / seconds),
            Math.Round(acked / seconds),
            Math.Round(processed / seconds),
            sos is null ? null : LatencyResult.Of(sos));
    }

    private async Task PublishReadingAsync(IMqttClient client, string id, ElderBehaviour behaviour, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = PayloadFactory.Reading(behaviour.Step(now, TimeSpan.FromSeconds(1)), now);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic($"devices/{id}/telemetry")
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(load.Qos == 1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        Interlocked.Increment(ref _sent);
        try
        {
            var result = await client.PublishAsync(message, cancellationToken);
            if (load.Qos == 1 && result.IsSuccess)
            {
                Interlocked.Increment(ref _acked);
            }
            else if (!result.IsSuccess)
            {
                Interlocked.Increment(ref _errors);
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    /// <summary>Elders press SOS, evenly over the phase; each is timed to its offer on the seat's stream.</summary>
    private async Task SosAsync(List<(string Id, string Secret)> credentials, List<int> online, ConcurrentQueue<double> phase, ConcurrentQueue<double> acknowledged, Stopwatch clock, CancellationToken cancellationToken)
    {
        for (var k = 0; k < load.SosCount; k++)
        {
            if (load.Hold * (k + 1) / (load.SosCount + 1) - clock.Elapsed is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, cancellationToken);
            }

            // A different elder each time (7919 is prime), so that no SOS joins an alarm still open.
            var i = online[(int)((long)k * 7919 % online.Count)];
            if (_clients[i] is not { IsConnected: true } client)
            {
                continue;
            }

            var id = credentials[i].Id;
            var json = PayloadFactory.Event($"sos-{Guid.NewGuid():N}", "sos", 32.06, 118.78, DateTimeOffset.UtcNow);
            var sentAt = Stopwatch.GetTimestamp();
            _sosSentAt[id] = (sentAt, phase);
            _ = Task.Run(async () =>
            {
                var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"devices/{id}/events")
                    .WithPayload(Encoding.UTF8.GetBytes(json)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
                if (result.IsSuccess)
                {
                    acknowledged.Enqueue(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref _errors);
                }
            }, cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // the last offers
    }

    private async Task WatchSeatAsync(CancellationToken cancellationToken)
    {
        var api = new ApiClient(http);
        await api.GoOnlineAsync(common.Seat, common.District, cancellationToken);
        try
        {
            await ListenAsSeatAsync(api, cancellationToken);
        }
        finally
        {
            // The run is over: nobody watches this seat any more, so no alarm may be offered to it.
            await Quiet(api.GoOfflineAsync(common.Seat, CancellationToken.None));
        }
    }

    private async Task ListenAsSeatAsync(ApiClient api, CancellationToken cancellationToken)
    {
        await Quiet(api.ListenAsync(common.Seat, (name, data) =>
        {
            if (name == "offered" && data.GetProperty("alarm").GetProperty("deviceId").GetString() is { } device && _sosSentAt.TryRemove(device, out var sent))
            {
                sent.Phase.Enqueue(Stopwatch.GetElapsedTime(sent.SentAt).TotalMilliseconds);
                Interlocked.Increment(ref _alarmsSeen);
                // Handle it as a seat would, so that the next SOS from this elder raises a new alarm.
                var alarmId = data.GetProperty("alarm").GetProperty("id").GetGuid();
                _ = Task.Run(async () =>
                {
                    await Quiet(api.AcceptAsync(alarmId, CancellationToken.None));
                    await Quiet(api.ResolveAsync(alarmId, CancellationToken.None));
                });
            }
        }, new TaskCompletionSource(), cancellationToken));
    }

    private async Task PollStatsAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await Quiet(StatsAsync());
        }
    }

    private async Task<IAsyncDisposable> SubscriberAsync(CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += _ =>
        {
            Interlocked.Increment(ref _subscriberReceived);
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(common.MqttHost, common.MqttPort).WithClientId("load-subscriber").Build(), cancellationToken);
        await client.SubscribeAsync("devices/+/telemetry", load.Qos == 1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce, cancellationToken);
        return new AsyncDisposer(client);
    }

    /// <summary>The node's own counters; null for the reference broker, which has no such endpoint.</summary>
    private async Task<NodeStats?> StatsAsync()
    {
        if (!IsElderIoT)
        {
            return null;
        }

        _lastStats = await http.GetFromJsonAsync<NodeStats>("/api/system/stats", new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return _lastStats;
    }

    private static async Task Quiet(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
        }
    }

    private sealed record PhaseMark(long Sent, long Acknowledged, long SubscriberReceived, NodeStats? Stats);

    /// <summary>What one phase measured; rates are per second over the phase.</summary>
    private sealed record PhaseResult(double Seconds, long Readings, double SentPerSecond, double AcknowledgedPerSecond, double ProcessedBySystemPerSecond, LatencyResult? SosToSeatMs)
    {
        public LatencyResult? SosToPubAckMs { get; init; }
    }

    private sealed record LatencyResult(int N, double? P50, double? P95, double? P99, double? Max)
    {
        public static LatencyResult Of(IReadOnlyCollection<double> samples) =>
            new(samples.Count, Percentiles.Of(samples, 50), Percentiles.Of(samples, 95), Percentiles.Of(samples, 99), samples.Count == 0 ? null : samples.Max());
    }

    private sealed record NodeStats(long ConnectedDevices, long ReadingsProcessed, long WorkingSetBytes, long ManagedHeapBytes);

    private sealed class AsyncDisposer(IMqttClient client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await client.DisconnectAsync();
            client.Dispose();
        }
    }
}
