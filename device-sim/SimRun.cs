using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace ElderIoT.DeviceSim;

/// <summary>
/// One run: put a seat on duty and watch its stream, register the elders and their devices, connect
/// them, report telemetry, play the scenarios, then close the alarms it raised and report.
/// </summary>
internal sealed class SimRun(SimOptions options, ApiClient api, LiveProgress progress)
{
    private readonly RunReport _report = new(progress);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _eventPublishedAt = new();
    private readonly string _runId = Guid.NewGuid().ToString("N")[..6];
    private readonly ConcurrentDictionary<int, Guid> _elderIds = new();
    private readonly RuleExpectations _rules = new(api);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"device-sim: {options.Elders} elders, scenario {string.Join("+", options.Scenarios)}, seed {options.Seed}, API {options.Api}, MQTT {options.MqttHost}:{options.MqttPort}");
        await api.GoOnlineAsync(options.Seat, options.District, cancellationToken);
        try
        {
            return await RunOnDutyAsync(cancellationToken);
        }
        finally
        {
            // Nobody watches the seat once the run is over (or stopped): no alarm may be left with it.
            await Quietly(api.GoOfflineAsync(options.Seat, CancellationToken.None));
        }
    }

    private async Task<int> RunOnDutyAsync(CancellationToken cancellationToken)
    {
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = Task.Run(() => api.ListenAsync(options.Seat, OnSeatEvent, connected, listening.Token), listening.Token);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);

        var devices = await RegisterAndConnectAsync(cancellationToken);
        Console.WriteLine($"{devices.Count} devices connected; seat '{options.Seat}' on duty for {options.District}");

        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        running.CancelAfter(options.Duration);
        var telemetry = devices.Where(d => d.Kind != "sensor").Select(d => TelemetryLoopAsync(d.Device, running.Token)).ToList();
        var scenario = PlayScenariosAsync(devices, running.Token);
        using var showing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var display = progress.ShowAsync(() => _report.Snapshot($"scenario {string.Join("+", options.Scenarios)}", devices.Count(d => d.Device.IsConnected), devices.Count), showing.Token);
        await Task.WhenAll([.. telemetry, scenario]);
        await showing.CancelAsync();
        await display;

        // While the seat still listens: rule alarms that come late (a silent device) are offered and closed too.
        var ruleFailures = 0;
        if (_rules.Any)
        {
            Console.WriteLine($"checking what the detection rules raised (up to {_rules.Wait.TotalSeconds:0} s)...");
            (var lines, ruleFailures) = await _rules.CheckAsync(cancellationToken);
            lines.ToList().ForEach(Console.WriteLine);
        }

        await WaitForOffersAsync(cancellationToken);
        await listening.CancelAsync();
        await Quietly(listener);
        if (!options.LeaveOpen)
        {
            await CloseAlarmsAsync(cancellationToken);
        }

        foreach (var (device, _, _) in devices)
        {
            await device.DisposeAsync();
        }

        Console.WriteLine(_report.Summary());
        var missing = ExpectedAlarms - _report.AlarmsSeen.Count;
        if (_report.EventsLost > 0 || missing > 0 || ruleFailures > 0)
        {
            Console.WriteLine($"FAILED: {_report.EventsLost} event(s) not acknowledged, {Math.Max(0, missing)} alarm(s) never offered to the seat, {ruleFailures} rule expectation(s) not met");
            return 1;
        }

        return 0;
    }

    private async Task<List<(SimulatedDevice Device, string Kind, int Elder)>> RegisterAndConnectAsync(CancellationToken cancellationToken)
    {
        var devices = new ConcurrentBag<(SimulatedDevice, string, int)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Elders), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (index, ct) =>
        {
            var elder = PayloadFactory.Elder(options.Seed, index, options.District);
            var elderId = await api.CreateElderAsync(elder.Body, ct);
            _elderIds[index] = elderId;
            var behaviour = new ElderBehaviour(elder.HomeLat, elder.HomeLon, PayloadFactory.RandomFor(options.Seed, -1 - index));
            var kinds = new List<string> { options.Kind == "mixed" ? (index % 2 == 0 ? "watch" : "handset") : options.Kind };
            if (index % 5 == 0)
            {
                kinds.Add("sensor");
            }

            foreach (var kind in kinds)
            {
                var id = $"sim-{_runId}-{index:D5}-{kind}";
                var secret = await api.RegisterDeviceAsync(id, kind, elderId, ct);
                var device = new SimulatedDevice(id, secret, behaviour, PayloadFactory.RandomFor(options.Seed, index * 10 + kinds.IndexOf(kind)), options, _report);
                await device.ConnectAsync(ct);
                devices.Add((device, kind, index));
            }
        });
        return [.. devices.OrderBy(d => d.Item3)];
    }

    private async Task TelemetryLoopAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        // Spread devices over the interval so they do not all report in the same millisecond.
        await Quietly(Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next((int)options.TelemetryInterval.TotalMilliseconds)), cancellationToken));
        using var timer = new PeriodicTimer(options.TelemetryInterval);
        do
        {
            try
            {
                await device.SendTelemetryAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _report.Error($"{device.Id}: telemetry: {exception.Message}");
            }
        }
        while (await Quietly(NextTickAsync(timer, device, cancellationToken)));
    }

    /// <summary>The device's own interval, or the faster one the centre asked for while a wandering alarm is open.</summary>
    private Task<bool> NextTickAsync(PeriodicTimer timer, SimulatedDevice device, CancellationToken cancellationToken)
    {
        var period = device.ReportEvery is { } asked && asked < options.TelemetryInterval ? asked : options.TelemetryInterval;
        if (timer.Period != period)
        {
            timer.Period = period;
        }

        return timer.WaitForNextTickAsync(cancellationToken).AsTask();
    }

    private async Task PlayScenariosAsync(IReadOnlyList<(SimulatedDevice Device, string Kind, int Elder)> devices, CancellationToken cancellationToken)
    {
        if (!await Quietly(Task.Delay(TimeSpan.FromSeconds(Math.Min(3, options.Duration.TotalSeconds / 4)), cancellationToken).ContinueWith(_ => true)))
        {
            return;
        }

        // One elder in five takes part: a busy but believable morning for a district.
        var chosen = devices.Where(d => d.Elder % 5 == 0).ToList();
        var wearables = chosen.Where(d => d.Kind != "sensor").ToList();
        var plays = new List<Task>();
        if (options.Scenarios.Intersect(["wander", "fence-line", "river"]).Any())
        {
            foreach (var elder in chosen.Select(d => d.Elder).Distinct())
            {
                await GeofenceScenarios.AddZonesAsync(api, _elderIds[elder], wearables.First(w => w.Elder == elder).Device.Behaviour, options.Scenarios.Contains("river"), cancellationToken);
            }
        }

        foreach (var scenario in options.Scenarios)
        {
            switch (scenario)
            {
                case "fence-line":
                    wearables.ForEach(d => d.Device.Behaviour.StandAtFenceLine(GeofenceScenarios.HomeRadius));
                    break;
                case "river":
                    wearables.ForEach(d => d.Device.Behaviour.WalkToRiver(GeofenceScenarios.RiverNorth));
                    break;
                case "locate":
                    plays.Add(GeofenceScenarios.LocateAsync(api, progress, wearables.Select(d => (d.Device, _elderIds[d.Elder])).ToList(), cancellationToken));
                    break;
                case "sos":
                    plays.AddRange(wearables.Select(d => SendAsync(d.Device, "sos", d.Elder, cancellationToken)));
                    break;
                case "fall":
                    plays.AddRange(chosen.Where(d => d.Kind == "watch").Select(d => SendAsync(d.Device, "fall", d.Elder, cancellationToken)));
                    break;
                case "smoke":
                    plays.AddRange(chosen.Where(d => d.Kind == "sensor").Select(d => SendAsync(d.Device, "smoke", d.Elder, cancellationToken)));
                    break;
                case "wander":
                    wearables.ForEach(d => d.Device.Behaviour.Wander());
                    break;
                case "vitals":
                    wearables.ForEach(d => d.Device.Behaviour.AbnormalHeartRate = true);
                    wearables.ForEach(d => _rules.Alarm(_elderIds[d.Elder], "vitals", "heart rate 135-150 sustained"));
                    break;
                case "silent":
                    foreach (var d in wearables)
                    {
                        await api.SetReportEveryAsync(d.Device.Id, RuleExpectations.SilentAfterSeconds, cancellationToken);
                        d.Device.Silent = true;
                        _rules.Alarm(_elderIds[d.Elder], "device_silent", "the device stopped reporting");
                    }

                    break;
                case "outage":
                    plays.Add(OutageAsync(devices, cancellationToken));
                    break;
                case "late-sos":
                    plays.AddRange(wearables.Select(d => LateSosAsync(d.Device, d.Elder, cancellationToken)));
                    break;
                case "storm":
                    plays.Add(Task.Run(async () =>
                    {
                        await Task.Yield(); // after the other scenarios have taken their devices off line
                        await StormAsync(devices, cancellationToken);
                    }, cancellationToken));
                    foreach (var elder in devices.Select(d => d.Elder).Distinct().Where(e => !options.Scenarios.Intersect(["silent", "outage"]).Any()))
                    {
                        _rules.NoAlarm(_elderIds[elder], "device_silent", "every device came back after the storm");
                    }

                    break;
            }
        }

        progress.Say($"scenario {string.Join("+", options.Scenarios)} played on {chosen.Select(d => d.Elder).Distinct().Count()} elder(s)");
        await Task.WhenAll(plays);
    }

    /// <summary>The connection drops, SOS is pressed offline, the device sends it when it is back 5 s later.</summary>
    private async Task LateSosAsync(SimulatedDevice device, int elder, CancellationToken cancellationToken)
    {
        await device.GoOfflineAsync();
        device.BufferEvent("sos");
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        foreach (var publishedAt in await device.ReconnectAndFlushAsync(cancellationToken))
        {
            _eventPublishedAt.TryAdd($"elder-{elder}", publishedAt);
            _eventPublishedAt.TryAdd(device.Id, publishedAt);
        }
    }

    /// <summary>The district goes dark (a power cut): every device of the run drops off line and stays silent. One outage, no device_silent.</summary>
    private async Task OutageAsync(IReadOnlyList<(SimulatedDevice Device, string Kind, int Elder)> devices, CancellationToken cancellationToken)
    {
        foreach (var (device, _, _) in devices)
        {
            await api.SetReportEveryAsync(device.Id, RuleExpectations.SilentAfterSeconds, cancellationToken);
        }

        await Task.WhenAll(devices.Select(d =>
        {
            d.Device.Silent = true;
            return d.Device.GoOfflineAsync();
        }));
        _rules.Outage(options.District, devices.Count);
        foreach (var elder in devices.Select(d => d.Elder).Distinct())
        {
            _rules.NoAlarm(_elderIds[elder], "device_silent", "silent under the outage");
        }

        progress.Say($"outage: {devices.Count} devices off line at once");
    }

    /// <summary>Every device loses its connection at once and reconnects at once, as after a broker restart.</summary>
    private async Task StormAsync(IReadOnlyList<(SimulatedDevice Device, string Kind, int Elder)> devices, CancellationToken cancellationToken)
    {
        // Devices another scenario has taken off line come back on that scenario's terms.
        var online = devices.Where(d => !d.Device.IsOffline).ToList();
        await Task.WhenAll(online.Select(d => d.Device.GoOfflineAsync()));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(online.Select(d => d.Device.ReconnectAndFlushAsync(cancellationToken)));
        progress.Say($"storm: {online.Count} devices reconnected in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task SendAsync(SimulatedDevice device, string type, int elder, CancellationToken cancellationToken)
    {
        if (await device.SendEventAsync(type, cancellationToken) is { } publishedAt)
        {
            // The first event of an elder raises the alarm; later ones join it.
            _eventPublishedAt.TryAdd($"elder-{elder}", publishedAt);
            _eventPublishedAt.TryAdd(device.Id, publishedAt);
        }
    }

    private void OnSeatEvent(string eventName, JsonElement data)
    {
        if (eventName != "offered" || !data.TryGetProperty("alarm", out var alarm))
        {
            return;
        }

        var deviceId = alarm.GetProperty("deviceId").GetString() ?? "";
        if (!deviceId.StartsWith($"sim-{_runId}-", StringComparison.Ordinal))
        {
            return;
        }

        double? latency = _eventPublishedAt.TryGetValue(deviceId, out var at) ? (DateTimeOffset.UtcNow - at).TotalMilliseconds : null;
        _report.Offered(alarm.GetProperty("id").GetGuid(), deviceId, latency);
    }

    /// <summary>One alarm per elder whose event was acknowledged: further events of the same elder join it.</summary>
    private int ExpectedAlarms => _eventPublishedAt.Keys.Count(k => k.StartsWith("elder-", StringComparison.Ordinal));

    private async Task WaitForOffersAsync(CancellationToken cancellationToken)
    {
        var expected = ExpectedAlarms;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_report.AlarmsSeen.Count < expected && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task CloseAlarmsAsync(CancellationToken cancellationToken)
    {
        foreach (var alarmId in _report.AlarmsSeen.Keys)
        {
            try
            {
                await api.AcceptAsync(alarmId, cancellationToken);
                await api.ResolveAsync(alarmId, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                _report.Error($"closing alarm {alarmId}: {exception.Message}");
            }
        }

        Console.WriteLine($"accepted and resolved {_report.AlarmsSeen.Count} alarm(s) as 'test'");
    }

    private static async Task<bool> Quietly(Task<bool> task)
    {
        try
        {
            return await task;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
