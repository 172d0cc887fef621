using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Records;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Pipeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// One device. Live readings stay in memory; the last known state is staged with
/// <see cref="DeviceSnapshotWriter"/>, which writes it to the device record in batches: the record
/// holds the last known position for the seat's elder card, the time series belongs elsewhere.
/// </summary>
internal sealed partial class DeviceGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ITelemetryWriter telemetry,
    DeviceSnapshotWriter snapshots,
    ILogger<DeviceGrain> logger) : Grain, IDeviceGrain
{
    private const int RememberedEvents = 64;

    // Well inside Orleans' default idle collection age (15 min), so the elder's grain never goes idle.
    private static readonly TimeSpan KeepElderReadyEvery = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, EventReceipt> _recentEvents = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private DeviceRecord? _device;
    private int? _heartRate;
    private long? _elderToldAt;

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

        var secret = DeviceSecrets.Generate();
        var record = new DeviceRecord
        {
            Id = id,
            Kind = kind.ToSnakeCase(),
            ElderId = elderId,
            SecretHash = DeviceSecrets.Hash(secret),
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

    public Task<DeviceAuthResult> AuthenticateAsync(string secret)
    {
        var result = _device switch
        {
            null => DeviceAuthResult.UnknownDevice,
            { Disabled: true } => DeviceAuthResult.Disabled,
            var device when DeviceSecrets.Matches(secret, device.SecretHash) => DeviceAuthResult.Accepted,
            _ => DeviceAuthResult.BadSecret,
        };
        if (result == DeviceAuthResult.Accepted)
        {
            KeepElderReady(_device!);
        }

        return Task.FromResult(result);
    }

    public async Task<EventReceipt> ReportEventAsync(DeviceEvent deviceEvent)
    {
        var device = _device ?? throw new InvalidOperationException($"Device '{this.GetPrimaryKeyString()}' is not registered.");
        if (await FindRecordedAsync(deviceEvent.EventId) is { } earlier)
        {
            LogDuplicate(device.Id, deviceEvent.EventId);
            return earlier with { Duplicate = true };
        }

        var receipt = await GrainFactory.GetGrain<IElderGrain>(device.ElderId).HandleDeviceEventAsync(deviceEvent);
        if (receipt.AlarmId is null)
        {
            // Not part of an alarm, so the alarm grain did not record it: record it here.
            await using var db = await contexts.CreateDbContextAsync();
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

        Remember(deviceEvent.EventId, receipt);
        Seen(deviceEvent.Position, deviceEvent.OccurredAt);
        Stage(device);
        await telemetry.EnqueueAsync(new EventEntry(device.ElderId, device.Id, deviceEvent, receipt.AlarmId));
        return receipt;
    }

    public async Task ReportTelemetryAsync(IReadOnlyList<TelemetryReading> readings)
    {
        var device = _device ?? throw new InvalidOperationException($"Device '{this.GetPrimaryKeyString()}' is not registered.");
        foreach (var reading in readings.OrderBy(r => r.Timestamp))
        {
            Seen(reading.Position, reading.Timestamp);
            device.Battery = reading.Battery ?? device.Battery;
            _heartRate = reading.HeartRate ?? _heartRate;
            await telemetry.EnqueueAsync(new ReadingEntry(device.ElderId, device.Id, reading));
        }

        Stage(device);
        KeepElderReady(device);
    }

    public Task<DeviceStatus?> GetStatusAsync() => Task.FromResult(_device is not { } d ? null : new DeviceStatus(
        d.Id,
        EnumNames.ParseSnakeCase<DeviceKind>(d.Kind),
        d.ElderId,
        d.LastSeenAt,
        d.LastLat is { } lat && d.LastLon is { } lon ? new GeoPosition(lat, lon, d.LastAccuracy) : null,
        d.LastPositionAt,
        d.Battery,
        _heartRate));

    /// <summary>
    /// While the device is online, its elder's grain stays active. Profiled under load, loading the
    /// elder (profile, contacts, open alarm) on the first SOS was the largest part of its latency.
    /// </summary>
    private void KeepElderReady(DeviceRecord device)
    {
        var now = clock.GetTimestamp();
        if (_elderToldAt is { } told && clock.GetElapsedTime(told, now) < KeepElderReadyEvery)
        {
            return;
        }

        _elderToldAt = now;
        GrainFactory.GetGrain<IElderGrain>(device.ElderId).KeepReadyAsync().Ignore();
    }

    private async Task<EventReceipt?> FindRecordedAsync(string eventId)
    {
        if (_recentEvents.TryGetValue(eventId, out var remembered))
        {
            return remembered;
        }

        var deviceId = this.GetPrimaryKeyString();
        await using var db = await contexts.CreateDbContextAsync();
        var recorded = await db.DeviceEvents.AsNoTracking()
            .Where(e => e.DeviceId == deviceId && e.EventId == eventId)
            .Select(e => new { e.AlarmId })
            .SingleOrDefaultAsync();
        return recorded is null ? null : new EventReceipt(recorded.AlarmId, Duplicate: true);
    }

    private void Remember(string eventId, EventReceipt receipt)
    {
        if (_recentEvents.TryAdd(eventId, receipt))
        {
            _recentOrder.Enqueue(eventId);
            if (_recentOrder.Count > RememberedEvents)
            {
                _recentEvents.Remove(_recentOrder.Dequeue());
            }
        }
    }

    private void Seen(GeoPosition? position, DateTimeOffset at)
    {
        if (_device is null)
        {
            return;
        }

        _device.LastSeenAt = clock.GetUtcNow();
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
        snapshots.Stage(new DeviceSnapshot(d.Id, d.LastSeenAt, d.LastLat, d.LastLon, d.LastAccuracy, d.LastPositionAt, d.Battery));

    [LoggerMessage(3001, LogLevel.Information, "Device {DeviceId} re-sent event {EventId}; already recorded")]
    private partial void LogDuplicate(string deviceId, string eventId);

}
