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
/// Load mode: provisions (or reuses) many devices, connects them at a fixed rate, holds them with
/// paced telemetry while a few elders press SOS, then floods with back-to-back publishes to find
/// the saturation rate. The same publishers and payloads run against ElderIoT or a plain broker.
/// </summary>
internal sealed class LoadRun(SimOptions common, LoadOptions load, HttpClient http)
{
    private readonly ConcurrentQueue<double> _sosMs = new();
    private readonly ConcurrentDictionary<string, long> _sosSentAt = new();
    private long _acked;
    private long _sent;
    private long _errors;
    private long _subscriberReceived;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var elderiot = load.Target == "elderiot";
        Console.WriteLine($"load: {load.Devices} devices → {load.Target} at {common.MqttHost}:{common.MqttPort}, QoS {load.Qos}, ramp {load.RampPerSecond}/s, {load.SourceAddresses} source address(es)");
        var credentials = elderiot ? await ProvisionAsync(cancellationToken) : [.. Enumerable.Range(0, load.Devices).Select(i => ($"load-{i:D6}", ""))];
        var before = elderiot ? await StatsAsync() : null;

        // Observe: ElderIoT's own counters, or a plain subscriber on the reference broker.
        await using var observer = elderiot ? null : await SubscriberAsync(cancellationToken);
        using var seatStream = new CancellationTokenSource();
        var seat = elderiot ? Task.Run(() => WatchSeatAsync(seatStream.Token), CancellationToken.None) : Task.CompletedTask;

        var clients = new IMqttClient[credentials.Count];
        var connectClock = Stopwatch.StartNew();
        await ConnectAllAsync(credentials, clients, cancellationToken);
        var connectSeconds = connectClock.Elapsed.TotalSeconds;
        var connected = clients.Count(c => c?.IsConnected == true);
        var afterConnect = elderiot ? await StatsAsync() : null;
        Console.WriteLine($"connected {connected} of {credentials.Count} in {connectSeconds:0.0} s ({connected / connectSeconds:0} connects/s)");

        var held = await HoldAsync(credentials, clients, elderiot, cancellationToken);
        var flood = await FloodAsync(credentials, clients, cancellationToken);
        var after = elderiot ? await StatsAsync() : null;

        await seatStream.CancelAsync();
        await Quiet(seat);
        await Task.WhenAll(clients.Where(c => c is not null).Select(async c =>
        {
            try
            {
                await c.DisconnectAsync();
            }
            catch (Exception)
            {
            }

            c.Dispose();
        }));

        var result = new
        {
            target = load.Target,
            qos = load.Qos,
            devices = load.Devices,
            connected,
            connectsPerSecond = Math.Round(connected / connectSeconds),
            hold = held,
            saturation = flood,
            processedBySystem = elderiot ? (after!.ReadingsProcessed - before!.ReadingsProcessed) : Interlocked.Read(ref _subscriberReceived),
            hostMemoryPerDeviceBytes = elderiot && connected > 0 ? (afterConnect!.WorkingSetBytes - before!.WorkingSetBytes) / connected : (long?)null,
            sosToSeatMs = elderiot ? new
            {
                n = _sosMs.Count,
                p50 = Percentiles.Of(_sosMs, 50),
                p95 = Percentiles.Of(_sosMs, 95),
                p99 = Percentiles.Of(_sosMs, 99),
                max = _sosMs.IsEmpty ? (double?)null : _sosMs.Max(),
            } : null,
            errors = Interlocked.Read(ref _errors),
        };
        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        if (load.Out is { } path)
        {
            await File.WriteAllTextAsync(path, json, cancellationToken);
        }

        var lost = load.Qos == 1 ? Interlocked.Read(ref _sent) - Interlocked.Read(ref _acked) : 0;
        return lost == 0 && connected == credentials.Count ? 0 : 1;
    }

    private async Task<List<(string Id, string Secret)>> ProvisionAsync(CancellationToken cancellationToken)
    {
        var path = load.Credentials ?? Path.Combine(Path.GetTempPath(), $"elderiot-load-{common.Api.Host}-{common.Api.Port}.json");
        if (File.Exists(path))
        {
            var cached = JsonSerializer.Deserialize<List<string[]>>(await File.ReadAllTextAsync(path, cancellationToken)) ?? [];
            if (cached.Count >= load.Devices)
            {
                Console.WriteLine($"reusing {load.Devices} provisioned devices from {path}");
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
                Console.WriteLine($"provisioned {provisioned.Count} devices ({provisioned.Count / clock.Elapsed.TotalSeconds:0}/s)");
            }
        });
        var list = provisioned.OrderBy(p => p.Index).Select(p => (p.Id, p.Secret)).ToList();
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(list.Select(c => new[] { c.Id, c.Secret })), cancellationToken);
        return list;
    }

    private async Task ConnectAllAsync(List<(string Id, string Secret)> credentials, IMqttClient[] clients, CancellationToken cancellationToken)
    {
        var factory = new MqttClientFactory();
        var perTick = Math.Max(1, load.RampPerSecond / 10);
        var progress = Stopwatch.StartNew();
        for (var start = 0; start < credentials.Count; start += perTick)
        {
            var tick = Task.Delay(100, cancellationToken);
            var batch = Enumerable.Range(start, Math.Min(perTick, credentials.Count - start));
            await Task.WhenAll(batch.Select(async i =>
            {
                var client = factory.CreateMqttClient();
                clients[i] = client;
                var (id, secret) = credentials[i];
                // Several loopback source addresses: one address has only ~28 000 ephemeral ports.
                var source = IPAddress.Parse($"127.0.0.{1 + (i % load.SourceAddresses)}");
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
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _errors);
                }
            }));
            await tick;
            if (progress.Elapsed > TimeSpan.FromSeconds(5))
            {
                progress.Restart();
                Console.WriteLine($"connecting: {clients.Count(c => c?.IsConnected == true)} of {credentials.Count}, errors {Interlocked.Read(ref _errors)}");
            }
        }
    }

    private async Task<object> HoldAsync(List<(string Id, string Secret)> credentials, IMqttClient[] clients, bool elderiot, CancellationToken cancellationToken)
    {
        var sentBefore = Interlocked.Read(ref _sent);
        var clock = Stopwatch.StartNew();
        var sos = elderiot && load.SosCount > 0
            ? Task.Run(() => SosAsync(credentials, clients, cancellationToken), cancellationToken)
            : Task.CompletedTask;
        var random = new Random(common.Seed);
        await Task.WhenAll(Enumerable.Range(0, clients.Length).Where(i => clients[i]?.IsConnected == true).Select(async i =>
        {
            // Spread devices over the interval, as real devices are.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next((int)load.Interval.TotalMilliseconds)), cancellationToken);
            var payloadRandom = new Random(common.Seed + i);
            var behaviour = new ElderBehaviour(32.06, 118.78, payloadRandom);
            while (clock.Elapsed < load.Hold)
            {
                await PublishReadingAsync(clients[i], credentials[i].Id, behaviour, cancellationToken);
                await Task.Delay(load.Interval, cancellationToken);
            }
        }));
        await sos;
        var seconds = clock.Elapsed.TotalSeconds;
        var sent = Interlocked.Read(ref _sent) - sentBefore;
        Console.WriteLine($"hold: {sent} readings in {seconds:0} s ({sent / seconds:0}/s)");
        return new { seconds = Math.Round(seconds), readings = sent, readingsPerSecond = Math.Round(sent / seconds) };
    }

    private async Task<object> FloodAsync(List<(string Id, string Secret)> credentials, IMqttClient[] clients, CancellationToken cancellationToken)
    {
        if (load.Flood <= TimeSpan.Zero)
        {
            return new { };
        }

        var ackedBefore = Interlocked.Read(ref _acked);
        var sentBefore = Interlocked.Read(ref _sent);
        var publishers = Enumerable.Range(0, clients.Length).Where(i => clients[i]?.IsConnected == true).Take(load.FloodPublishers).ToList();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(publishers.Select(async i =>
        {
            var behaviour = new ElderBehaviour(32.06, 118.78, new Random(i));
            while (clock.Elapsed < load.Flood)
            {
                await PublishReadingAsync(clients[i], credentials[i].Id, behaviour, cancellationToken);
                if (load.Qos == 0)
                {
                    await Task.Yield();
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var acked = Interlocked.Read(ref _acked) - ackedBefore;
        var sent = Interlocked.Read(ref _sent) - sentBefore;
        Console.WriteLine($"saturation: {publishers.Count} publishers, {sent / seconds:0} sent/s, {acked / seconds:0} acknowledged/s");
        return new { publishers = publishers.Count, seconds = Math.Round(seconds, 1), sentPerSecond = Math.Round(sent / seconds), acknowledgedPerSecond = Math.Round(acked / seconds) };
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

    /// <summary>During the hold, a few elders press SOS; each is timed to its offer on the seat's stream.</summary>
    private async Task SosAsync(List<(string Id, string Secret)> credentials, IMqttClient[] clients, CancellationToken cancellationToken)
    {
        var every = load.Hold / (load.SosCount + 1);
        for (var k = 0; k < load.SosCount; k++)
        {
            await Task.Delay(every, cancellationToken);
            var i = (int)((long)k * 7919 % clients.Length);
            if (clients[i]?.IsConnected != true)
            {
                continue;
            }

            var id = credentials[i].Id;
            var eventId = $"sos-{Guid.NewGuid():N}";
            _sosSentAt[id] = Stopwatch.GetTimestamp();
            var json = PayloadFactory.Event(eventId, "sos", 32.06, 118.78, DateTimeOffset.UtcNow);
            await clients[i].PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"devices/{id}/events")
                .WithPayload(Encoding.UTF8.GetBytes(json)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // the last offers
    }

    private async Task WatchSeatAsync(CancellationToken cancellationToken)
    {
        var api = new ApiClient(http);
        await api.GoOnlineAsync(common.Seat, common.District, cancellationToken);
        await Quiet(api.ListenAsync(common.Seat, (name, data) =>
        {
            if (name == "offered" && data.GetProperty("alarm").GetProperty("deviceId").GetString() is { } device && _sosSentAt.TryRemove(device, out var sentAt))
            {
                _sosMs.Enqueue(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                // Handle it as a seat would, so that the next run's SOS from this elder raises a new alarm.
                var alarmId = data.GetProperty("alarm").GetProperty("id").GetGuid();
                _ = Task.Run(async () =>
                {
                    await api.AcceptAsync(alarmId, common.Seat, CancellationToken.None);
                    await api.ResolveAsync(alarmId, common.Seat, CancellationToken.None);
                });
            }
        }, new TaskCompletionSource(), cancellationToken));
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

    private async Task<NodeStats?> StatsAsync() =>
        await http.GetFromJsonAsync<NodeStats>("/api/system/stats", new JsonSerializerOptions(JsonSerializerDefaults.Web));

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
