using System.Collections.Concurrent;
using ElderIoT.Hosting;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// Writes device grains' last known state (last seen, position, battery, heart rate) to the device records every
/// <see cref="FlushInterval"/>, on their behalf, in short transactions of <see cref="ChunkSize"/> devices. A write per device would be
/// hundreds of small transactions a second with thousands of devices, and alarms would queue behind
/// them for the database's write lock (profiled: docs/benchmarks.md). Each device's latest state wins.
/// </summary>
internal sealed partial class DeviceSnapshotWriter(IDbContextFactory<ElderIoTDbContext> contexts, WorkerMetrics workers, ILogger<DeviceSnapshotWriter> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(10);
    private const int ChunkSize = 250;
    private static readonly TimeSpan GapBetweenChunks = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<string, DeviceSnapshot> _staged = new(StringComparer.Ordinal);

    public void Stage(DeviceSnapshot snapshot) => _staged[snapshot.DeviceId] = snapshot;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new ResilientLoop("device-snapshots", workers, logger).RunAsync(
            async token =>
            {
                await Task.Delay(FlushInterval, token);
                await FlushAsync(token, yieldToOtherWriters: true);
            },
            TimeSpan.Zero,
            stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // A convenience copy: the next process learns the devices' state when they speak again.
            LogShutdownFlushFailed(exception, _staged.Count);
        }
    }

    internal async Task FlushAsync(CancellationToken cancellationToken, bool yieldToOtherWriters = false)
    {
        var batch = new List<DeviceSnapshot>();
        foreach (var id in _staged.Keys)
        {
            if (_staged.TryRemove(id, out var snapshot))
            {
                batch.Add(snapshot);
            }
        }

        Exception? failure = null;
        foreach (var chunk in batch.Chunk(ChunkSize))
        {
            try
            {
                await WriteChunkAsync(chunk, cancellationToken);
            }
            catch (Exception exception)
            {
                // A convenience copy (the live state is in the grains): put it back for the next round,
                // unless the grain has staged a newer one meanwhile.
                foreach (var s in chunk)
                {
                    _staged.TryAdd(s.DeviceId, s);
                }

                LogFlushFailed(exception, chunk.Length);
                failure ??= exception;
                if (exception is OperationCanceledException)
                {
                    throw;
                }
            }

            if (yieldToOtherWriters)
            {
                // SQLite has one writer and no queue: a writer that found the lock taken polls for it
                // (1, 2, 5, 10… ms). Without a gap the next chunk takes the lock again first, and with
                // 10 000 devices an alarm waited out 40 chunks in a row (measured: SOS p50 0.8 s).
                await Task.Delay(GapBetweenChunks, cancellationToken);
            }
        }

        if (failure is not null)
        {
            // Counted and backed off by the loop; what failed is staged again for the next round.
            throw new IOException($"the last known state of some devices could not be written: {failure.Message}", failure);
        }
    }

    /// <summary>
    /// One transaction and one statement, executed once per device (Microsoft.Data.Sqlite keeps it
    /// compiled between executions): the write lock is held for a few milliseconds, where 250 EF
    /// ExecuteUpdate calls held it for tens of milliseconds under load.
    /// </summary>
    private async Task WriteChunkAsync(DeviceSnapshot[] chunk, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var devices = db.Model.FindEntityType(typeof(DeviceRecord))!;
        var table = StoreObjectIdentifier.Table(devices.GetTableName()!, devices.GetSchema());
        var columns = new[]
        {
            nameof(DeviceRecord.LastSeenAt), nameof(DeviceRecord.LastLat), nameof(DeviceRecord.LastLon),
            nameof(DeviceRecord.LastAccuracy), nameof(DeviceRecord.LastPositionAt), nameof(DeviceRecord.Battery), nameof(DeviceRecord.LastHeartRate), nameof(DeviceRecord.Id),
        }.Select(name => devices.FindProperty(name)!).ToArray();
        // The model's own conversions (DateTimeOffset is stored as a number on SQLite).
        var converters = columns.Select(c => c.GetTypeMapping().Converter).ToArray();

        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var assignments = columns[..^1].Select((c, i) => $"\"{c.GetColumnName(table)}\" = @p{i}");
        command.CommandText = $"UPDATE \"{table.Name}\" SET {string.Join(", ", assignments)} WHERE \"{columns[^1].GetColumnName(table)}\" = @p{columns.Length - 1}";
        var parameters = columns.Select((_, i) =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();

        foreach (var s in chunk)
        {
            object?[] values = [s.LastSeenAt, s.Lat, s.Lon, s.Accuracy, s.PositionAt, s.Battery, s.HeartRate, s.DeviceId];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] is { } value ? (converters[i]?.ConvertToProvider(value) ?? value) : DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(3003, LogLevel.Warning, "Writing the last known state of {Devices} device(s) failed; retrying at the next flush")]
    private partial void LogFlushFailed(Exception exception, int devices);

    [LoggerMessage(3004, LogLevel.Warning, "Writing the last known state of {Devices} device(s) at shutdown failed; the devices report it again when they speak")]
    private partial void LogShutdownFlushFailed(Exception exception, int devices);
}

/// <summary>A device's last known state, as it goes into its record.</summary>
internal sealed record DeviceSnapshot(
    string DeviceId, DateTimeOffset? LastSeenAt, double? Lat, double? Lon, double? Accuracy, DateTimeOffset? PositionAt, int? Battery, int? HeartRate);
