using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Rules;
using ElderIoT.Rules;
using ElderIoT.Records;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Pipeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// One device. Live readings stay in memory; the last known state is staged with
/// <see cref="DeviceSnapshotWriter"/>, which writes it to the device record in batches: the record
/// holds the last known position for the seat's elder card, the time series belongs elsewhere.
/// </summary>
internal sealed partial class DeviceGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    AlarmRecords alarmRecords,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ITelemetryWriter telemetry,
    DeviceSnapshotWriter snapshots,
    ILogger<DeviceGrain> logger,
    IOptions<DeviceCommandOptions> commandOptions,
    DeviceCommandMetrics commandMetrics,
    IClusterMembershipService membership,
    IOptions<DeviceSecretOptions> secretOptions,
    DeviceCredentialMetrics credentialMetrics,
    RuleServices rules,
    IDeviceSessionObserver? localSessions = null) : Grain, IDeviceGrain
{
    private const int RememberedEvents = 64;

    // Well inside Orleans' default idle collection age (15 min), so the elder's grain never goes idle.
    private static readonly TimeSpan KeepElderReadyEvery = TimeSpan.FromMinutes(5);

    // A device resends an unacknowledged event within minutes of its first try. The same id and type
    // without a device time arriving later than this is a new press of a device whose counter
    // restarted, not a resend: raising it twice costs a seat a look, swallowing it costs an elder.
    private static readonly TimeSpan ResendWindow = TimeSpan.FromMinutes(30);

    private readonly Dictionary<string, (EventReceipt Receipt, DateTimeOffset ReceivedAt)> _recentEvents = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private readonly SemaphoreSlim _eventLane = new(1, 1);
    private DeviceRecord? _device;
    private long? _elderToldAt;
    private DeviceCommandOutbox? _commands;
    private DeviceCommandRoute? _commandRoute;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The key as a local: inside the lambda, `this` (the grain) becomes a constant of the query and EF compiles it anew for every grain (profiled: most of a cold activation's time).
        var id = this.GetPrimaryKeyString();
        _device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
    }

    public async Task<DeviceRegistration> RegisterAsync(DeviceKind kind, Guid elderId)
    {
        var id = this.GetPrimaryKeyString();
        if (_device is not null)
        {
            throw new DeviceAlreadyRegisteredException(id);
        }

        if (await GrainFactory.GetGrain<IElderGrain>(elderId).GetProfileAsync() is null)
        {
            throw new ElderNotFoundException(elderId);
        }

        return await StoreRegistrationAsync(kind, elderId, responderId: null);
    }

    private async Task<DeviceRegistration> StoreRegistrationAsync(DeviceKind kind, Guid elderId, string? responderId)
    {
        var id = this.GetPrimaryKeyString();
        var secret = DeviceSecrets.Generate();
        var record = new DeviceRecord
        {
            Id = id,
            Kind = kind.ToSnakeCase(),
            ElderId = elderId,
            ResponderId = responderId,
            SecretHash = DeviceSecrets.Hash(secret, secretOptions.Value.HashIterations),
            RegisteredAt = clock.GetUtcNow(),
        };
        await using var db = await contexts.CreateDbContextAsync();
        db.Devices.Add(record);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            throw new DeviceAlreadyRegisteredException(id);
        }

        _device = record;
        return new DeviceRegistration(id, kind, elderId, secret);
    }

    public async Task<EventReceipt> ReportEventAsync(DeviceEvent deviceEvent)
    {
        // The event lane: this call interleaves with telemetry (see IDeviceGrain), so events take
        // turns here instead, one at a time, keeping the duplicate check and the record atomic.
        await _eventLane.WaitAsync();
        try
        {
            return await RecordEventAsync(deviceEvent);
        }
        finally
        {
            _eventLane.Release();
        }
    }

    private async Task<EventReceipt> RecordEventAsync(DeviceEvent deviceEvent)
    {
        var device = _device ?? throw new InvalidOperationException($"Device '{this.GetPrimaryKeyString()}' is not registered.");
        (var earlier, deviceEvent) = await FindRecordedAsync(deviceEvent);
        if (earlier is not null)
        {
            LogDuplicate(device.Id, deviceEvent.EventId);
            return earlier with { Duplicate = true };
        }

        if (device.ResponderId is not null && deviceEvent.Type.RaisesAlarm())
        {
            // No elder to raise it for: never acknowledge an alarm that reaches no one.
            throw new AlarmFromResponderDeviceException(device.Id, deviceEvent.Type);
        }

        if (deviceEvent.Type == DeviceEventType.LowBattery)
        {
            _ = Battery.LowBatteryEvent(); // The event raises through the elder; the readings' rule must not raise it again.
        }

        if (deviceEvent.Type.IsVisitCheck() && await CheckVisitAsync(device, deviceEvent) is { } refusal)
        {
            return new EventReceipt(null, Duplicate: false) { Refusal = refusal };
        }

        var receipt = device.ResponderId is null
            ? await GrainFactory.GetGrain<IElderGrain>(device.ElderId).HandleDeviceEventAsync(deviceEvent)
            : new EventReceipt(null, Duplicate: false); // A responder's device has no elder: its other events are only recorded.
        receipt = receipt with { Anomalies = deviceEvent.Anomalies };
        if (receipt.AlarmId is null)
        {
            // Not part of an alarm, so the alarm grain did not record it: record it here, on the alarm
            // lane like the duplicate check, since its PUBACK waits for it.
            await using var db = await alarmRecords.CreateDbContextAsync();
            db.DeviceEvents.Add(DeviceEventRecords.From(deviceEvent, clock.GetUtcNow(), alarmId: null));
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                return receipt with { Duplicate = true };
            }
        }

        Remember(deviceEvent, receipt);
        Seen(deviceEvent.Position, deviceEvent.OccurredAt);
        Stage(device);
        // The history is written behind the alarm: its PUBACK does not wait for the telemetry queue,
        // which may be full of readings. Off the grain's scheduler, so a wait there holds no turn.
        var entry = new EventEntry(device.ElderId, device.Id, deviceEvent, receipt.AlarmId);
        _ = Task.Run(() => AddToHistoryAsync(entry));
        return receipt;
    }

    private async Task AddToHistoryAsync(TelemetryEntry entry)
    {
        try
        {
            await telemetry.EnqueueAsync(entry);
        }
        catch (Exception exception)
        {
            LogHistoryFailed(exception, entry.DeviceId);
        }
    }

    public async Task ReportTelemetryAsync(IReadOnlyList<TelemetryReading> readings, TelemetryDelivery delivery = TelemetryDelivery.Acknowledged)
    {
        // The live state is updated before the first await: this call interleaves with the device's
        // others (an SOS must not wait for a telemetry fsync), so nothing after an await touches it.
        var device = _device ?? throw new InvalidOperationException($"Device '{this.GetPrimaryKeyString()}' is not registered.");
        var entries = new List<TelemetryEntry>(readings.Count);
        var positionBefore = device.LastPositionAt;
        Supervise(device, [.. readings.OrderBy(r => r.Timestamp)]); // Judged against what the device said before this batch.
        foreach (var reading in readings.OrderBy(r => r.Timestamp))
        {
            Seen(reading.Position, reading.Timestamp);
            device.Battery = reading.Battery ?? device.Battery;
            device.LastHeartRate = reading.HeartRate ?? device.LastHeartRate;
            entries.Add(new ReadingEntry(device.ElderId, device.Id, reading));
        }

        Stage(device);
        KeepElderReady(device);
        if (device.LastPositionAt != positionBefore && device.LastLat is { } lat && device.LastLon is { } lon && device.ResponderId is { } responder)
        {
            GrainFactory.GetGrain<IResponderGrain>(responder).ReportPositionAsync(new GeoPosition(lat, lon, device.LastAccuracy), device.LastPositionAt!.Value).Ignore();
        }
        else if (device.LastPositionAt != positionBefore && device.LastLat is { } elderLat && device.LastLon is { } elderLon)
        {
            // Only the newest fix of the batch, one-way: zones are judged behind the device path, and
            // never on the event (SOS) path.
            GrainFactory.GetGrain<IElderLocationGrain>(device.ElderId)
                .ReportPositionAsync(new PositionFix(device.Id, new GeoPosition(elderLat, elderLon, device.LastAccuracy), device.LastPositionAt!.Value, clock.GetUtcNow()))
                .Ignore();
        }

        if (delivery == TelemetryDelivery.Acknowledged)
        {
            await telemetry.AppendDurablyAsync(entries);
            return;
        }

        foreach (var entry in entries)
        {
            await telemetry.EnqueueAsync(entry);
        }
    }

    public Task<DeviceStatus?> GetStatusAsync() => Task.FromResult(_device is not { } d ? null : new DeviceStatus(
        d.Id,
        EnumNames.ParseSnakeCase<DeviceKind>(d.Kind),
        d.ElderId,
        d.LastSeenAt,
        d.LastLat is { } lat && d.LastLon is { } lon ? new GeoPosition(lat, lon, d.LastAccuracy) : null,
        d.LastPositionAt,
        d.Battery,
        d.LastHeartRate,
        d.Disabled)
    {
        Online = d.LastSeenAt is not null && !SilenceRule.IsSilent(d.LastSeenAt, ReportEvery(d), clock.GetUtcNow()),
        Worn = _worn,
        ReportEvery = ReportEvery(d),
        SilentSince = d.SilentSince,
    });

    public Task<DeviceCommandReceipt> SendCommandAsync(DeviceCommand command)
    {
        _ = _device ?? throw new InvalidOperationException($"Device '{this.GetPrimaryKeyString()}' is not registered.");
        return Commands.AddAsync(command);
    }

    public Task CommandChannelOpenedAsync(string gatewayNode)
    {
        CommandRoute.OpenedOn(gatewayNode);
        return Commands.SendPendingAsync();
    }

    public Task CommandAcknowledgedAsync(Guid commandId) => Commands.AcknowledgedAsync(commandId);

    public Task ExpireCommandsAsync() => Commands.ExpireDueAsync();

    public Task<IReadOnlyList<DeviceCommandStatus>> GetCommandsAsync(int limit) => Commands.RecentAsync(limit);

    private DeviceCommandOutbox Commands => _commands ??=
        new DeviceCommandOutbox(this.GetPrimaryKeyString(), contexts, CommandRoute, commandOptions.Value, commandMetrics, clock, logger);

    private DeviceCommandRoute CommandRoute => _commandRoute ??= new DeviceCommandRoute(GrainFactory, membership, logger);

    /// <summary>
    /// While the device is online, its elder's grain stays active. Profiled under load, loading the
    /// elder (profile, contacts, open alarm) on the first SOS was the largest part of its latency.
    /// </summary>
    private void KeepElderReady(DeviceRecord device)
    {
        if (device.ResponderId is not null)
        {
            return;
        }

        var now = clock.GetTimestamp();
        if (_elderToldAt is { } told && clock.GetElapsedTime(told, now) < KeepElderReadyEvery)
        {
            return;
        }

        _elderToldAt = now;
        GrainFactory.GetGrain<IElderGrain>(device.ElderId).KeepReadyAsync().Ignore();
    }

    /// <summary>
    /// The receipt of the same event recorded before (same id, type and device time), or else, when
    /// the id was used before for a different event, the event as a new one with the reuse noted:
    /// ids are counters that restart at boot, so a reused id is a new event.
    /// </summary>
    private async Task<(EventReceipt? Earlier, DeviceEvent Event)> FindRecordedAsync(DeviceEvent deviceEvent)
    {
        var now = clock.GetUtcNow();
        var key = RememberedKey(deviceEvent);
        if (_recentEvents.TryGetValue(key, out var remembered) && IsResend(deviceEvent, remembered.ReceivedAt, now))
        {
            return (remembered.Receipt, deviceEvent);
        }

        var deviceId = this.GetPrimaryKeyString();
        var eventId = deviceEvent.EventId;
        // The alarm lane: every event's PUBACK waits for this read (activations on connect, the
        // device's commands and credentials stay on the main pool).
        await using var db = await alarmRecords.CreateDbContextAsync();
        var recorded = await db.DeviceEvents.AsNoTracking()
            .Where(e => e.DeviceId == deviceId && e.EventId == eventId)
            .OrderByDescending(e => e.Id)
            .Select(e => new { e.ContentKey, e.Type, e.DeviceTime, e.ReceivedAt, e.AlarmId })
            .Take(RememberedEvents)
            .ToListAsync();
        var baseKey = deviceEvent.BaseContentKey;
        var same = recorded.FirstOrDefault(e => e.ContentKey == baseKey || e.ContentKey.StartsWith(baseKey + "#", StringComparison.Ordinal));
        if (same is not null && IsResend(deviceEvent, same.ReceivedAt, now))
        {
            return (new EventReceipt(same.AlarmId, Duplicate: true), deviceEvent);
        }

        if (recorded.FirstOrDefault() is not { } last)
        {
            return (null, deviceEvent);
        }

        var lastTime = last.DeviceTime is { } t ? $"device time {t:O}" : $"no device time, received {last.ReceivedAt:O}";
        var reuse = new EventAnomaly(EventAnomalyKind.IdReused, $"event id {eventId} reused: used before for {last.Type} ({lastTime}); taken as a new event");
        return (null, deviceEvent with
        {
            Anomalies = [.. deviceEvent.Anomalies, reuse],
            RepeatedAt = same is null ? null : now,
        });
    }

    /// <summary>The same message again is a resend, unless it carries no device time and came long after.</summary>
    private static bool IsResend(DeviceEvent deviceEvent, DateTimeOffset earlierReceivedAt, DateTimeOffset now) =>
        deviceEvent.DeviceTime is not null || now - earlierReceivedAt <= ResendWindow;

    private void Remember(DeviceEvent deviceEvent, EventReceipt receipt)
    {
        var key = RememberedKey(deviceEvent);
        if (!_recentEvents.ContainsKey(key))
        {
            _recentOrder.Enqueue(key);
        }

        _recentEvents[key] = (receipt, clock.GetUtcNow());
        if (_recentOrder.Count > RememberedEvents)
        {
            _recentEvents.Remove(_recentOrder.Dequeue());
        }
    }

    private static string RememberedKey(DeviceEvent deviceEvent) => $"{deviceEvent.EventId}\n{deviceEvent.BaseContentKey}";

    private void Seen(GeoPosition? position, DateTimeOffset at)
    {
        if (_device is null)
        {
            return;
        }

        var previouslySeen = _device.LastSeenAt;
        _device.LastSeenAt = clock.GetUtcNow();
        CheckBack(_device, previouslySeen, _device.LastSeenAt.Value);
        // Readings may arrive out of order (buffered offline); only a newer fix moves the device.
        if (position is not null && (_device.LastPositionAt is null || at >= _device.LastPositionAt))
        {
            _device.LastLat = position.Lat;
            _device.LastLon = position.Lon;
            _device.LastAccuracy = position.Accuracy;
            _device.LastPositionAt = at;
        }
    }

    private void Stage(DeviceRecord d) =>
        snapshots.Stage(new DeviceSnapshot(d.Id, d.LastSeenAt, d.LastLat, d.LastLon, d.LastAccuracy, d.LastPositionAt, d.Battery, d.LastHeartRate));

    [LoggerMessage(3001, LogLevel.Information, "Device {DeviceId} re-sent event {EventId}; already recorded")]
    private partial void LogDuplicate(string deviceId, string eventId);

    [LoggerMessage(3002, LogLevel.Warning, "Device {DeviceId}: adding an event to the event history failed")]
    private partial void LogHistoryFailed(Exception exception, string deviceId);

}
