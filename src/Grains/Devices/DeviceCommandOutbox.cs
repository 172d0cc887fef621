using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// The commands kept for one device, owned by its device grain (so one writer, one order). Every
/// command is stored before it is sent; it stays pending, and is sent again whenever the device opens
/// its commands channel, until the device acknowledges it (PUBACK), it expires, or the outbox is full
/// and it is the oldest. Each end is recorded on the command and counted.
/// </summary>
internal sealed partial class DeviceCommandOutbox(
    string deviceId,
    IDbContextFactory<ElderIoTDbContext> contexts,
    IDeviceCommandSender sender,
    DeviceCommandOptions options,
    DeviceCommandMetrics metrics,
    TimeProvider clock,
    ILogger logger)
{
    private static readonly string Pending = DeviceCommandState.Pending.ToSnakeCase();

    private List<DeviceCommandRecord>? _pending; // oldest first
    private long _lastSequence;

    public async Task<DeviceCommandReceipt> AddAsync(DeviceCommand command)
    {
        var pending = await LoadAsync();
        var now = clock.GetUtcNow();
        await ExpireDueAsync(now);

        var timeToLive = command.TimeToLive is { } asked && asked > TimeSpan.Zero
            ? (asked < options.MaxTimeToLive ? asked : options.MaxTimeToLive)
            : options.DefaultTimeToLive;
        var id = Guid.NewGuid();
        var record = new DeviceCommandRecord
        {
            Id = id,
            DeviceId = deviceId,
            Sequence = _lastSequence + 1,
            Type = command.Type,
            Payload = DeviceCommandPayload.WithId(id, command.Json),
            State = Pending,
            CreatedAt = now,
            ExpiresAt = now + timeToLive,
        };

        var dropped = pending.Count >= options.MaxPendingPerDevice ? pending[0] : null;
        await SaveAsync(db =>
        {
            db.DeviceCommands.Add(record);
            if (dropped is not null)
            {
                db.DeviceCommands.Attach(dropped);
                dropped.State = DeviceCommandState.Dropped.ToSnakeCase();
                dropped.EndedAt = now;
            }
        });

        _lastSequence = record.Sequence;
        if (dropped is not null)
        {
            pending.RemoveAt(0);
            metrics.Ended(DeviceCommandState.Dropped);
            LogDropped(deviceId, dropped.Id, dropped.Type, options.MaxPendingPerDevice);
        }

        pending.Add(record);
        var delivery = await TrySendAsync(record) ? DeviceCommandDelivery.Sent : DeviceCommandDelivery.Queued;
        metrics.Accepted(delivery);
        LogAccepted(deviceId, record.Id, record.Type, delivery, record.ExpiresAt);
        return new DeviceCommandReceipt(record.Id, delivery, record.ExpiresAt, dropped?.Id);
    }

    /// <summary>Sends every pending command, oldest first; stops at the first the device cannot take.</summary>
    public async Task SendPendingAsync()
    {
        var pending = await LoadAsync();
        await ExpireDueAsync(clock.GetUtcNow());
        foreach (var record in pending.ToList())
        {
            if (!await TrySendAsync(record))
            {
                return;
            }
        }
    }

    public async Task AcknowledgedAsync(Guid commandId)
    {
        var pending = await LoadAsync();
        var record = pending.Find(c => c.Id == commandId);
        if (record is null)
        {
            return; // A repeated PUBACK, or one for a command that has already ended.
        }

        await SaveAsync(db =>
        {
            db.DeviceCommands.Attach(record);
            record.State = DeviceCommandState.Delivered.ToSnakeCase();
            record.DeliveredAt = clock.GetUtcNow();
        });

        pending.Remove(record);
        metrics.Ended(DeviceCommandState.Delivered);
        LogDelivered(deviceId, record.Id, record.Type);
    }

    /// <summary>Records every pending command whose time is up as expired: it is never sent again.</summary>
    public async Task ExpireDueAsync() => await ExpireDueAsync(clock.GetUtcNow());

    public async Task<IReadOnlyList<DeviceCommandStatus>> RecentAsync(int limit)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var id = deviceId;
        var records = await db.DeviceCommands.AsNoTracking()
            .Where(c => c.DeviceId == id)
            .OrderByDescending(c => c.Sequence)
            .Take(limit)
            .ToListAsync();
        return [.. records.Select(c => new DeviceCommandStatus(
            c.Id, c.Type, EnumNames.ParseSnakeCase<DeviceCommandState>(c.State), c.CreatedAt, c.ExpiresAt, c.Attempts, c.LastSentAt, c.DeliveredAt))];
    }

    private async Task ExpireDueAsync(DateTimeOffset now)
    {
        var pending = await LoadAsync();
        var due = pending.Where(c => c.ExpiresAt <= now).ToList();
        if (due.Count == 0)
        {
            return;
        }

        await SaveAsync(db =>
        {
            foreach (var record in due)
            {
                db.DeviceCommands.Attach(record);
                record.State = DeviceCommandState.Expired.ToSnakeCase();
                record.EndedAt = now;
            }
        });

        foreach (var record in due)
        {
            pending.Remove(record);
            metrics.Ended(DeviceCommandState.Expired);
            LogExpired(deviceId, record.Id, record.Type, record.Attempts);
        }
    }

    private async Task<bool> TrySendAsync(DeviceCommandRecord record)
    {
        if (!await sender.TrySendAsync(deviceId, record.Payload, CancellationToken.None))
        {
            return false;
        }

        await SaveAsync(db =>
        {
            db.DeviceCommands.Attach(record);
            record.Attempts++;
            record.LastSentAt = clock.GetUtcNow();
        });
        return true;
    }

    /// <summary>
    /// Applies a change to tracked copies of the records and stores it. If storing fails, memory may be
    /// ahead of the records: it is dropped, and the records win on the next call.
    /// </summary>
    private async Task SaveAsync(Action<ElderIoTDbContext> change)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            change(db);
            await db.SaveChangesAsync();
        }
        catch
        {
            _pending = null;
            throw;
        }
    }

    private async Task<List<DeviceCommandRecord>> LoadAsync()
    {
        if (_pending is not null)
        {
            return _pending;
        }

        await using var db = await contexts.CreateDbContextAsync();
        var id = deviceId;
        var pending = await db.DeviceCommands.AsNoTracking()
            .Where(c => c.DeviceId == id && c.State == Pending)
            .OrderBy(c => c.Sequence)
            .ToListAsync();
        _lastSequence = await db.DeviceCommands.Where(c => c.DeviceId == id).MaxAsync(c => (long?)c.Sequence) ?? 0;
        _pending = pending;
        return pending;
    }

    [LoggerMessage(3101, LogLevel.Information, "Device {DeviceId} command {CommandId} ({Type}): {Delivery}, kept until {ExpiresAt:O}")]
    private partial void LogAccepted(string deviceId, Guid commandId, string type, DeviceCommandDelivery delivery, DateTimeOffset expiresAt);

    [LoggerMessage(3102, LogLevel.Information, "Device {DeviceId} acknowledged command {CommandId} ({Type})")]
    private partial void LogDelivered(string deviceId, Guid commandId, string type);

    [LoggerMessage(3103, LogLevel.Warning, "Device {DeviceId} command {CommandId} ({Type}) expired undelivered after {Attempts} attempt(s)")]
    private partial void LogExpired(string deviceId, Guid commandId, string type, int attempts);

    [LoggerMessage(3104, LogLevel.Warning, "Device {DeviceId} command {CommandId} ({Type}) dropped: the outbox holds at most {Max} pending commands")]
    private partial void LogDropped(string deviceId, Guid commandId, string type, int max);
}
