using System.Collections.Concurrent;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// Writes device grains' last known state (last seen, position, battery) to the device records in
/// one transaction every <see cref="FlushInterval"/>, on their behalf. A write per device would be
/// hundreds of small transactions a second with thousands of devices, and alarms would queue behind
/// them for the database's write lock (profiled: docs/benchmarks.md). Each device's latest state wins.
/// </summary>
internal sealed partial class DeviceSnapshotWriter(IDbContextFactory<ElderIoTDbContext> contexts, ILogger<DeviceSnapshotWriter> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(10);
    private const int ChunkSize = 250;

    private readonly ConcurrentDictionary<string, DeviceSnapshot> _staged = new(StringComparer.Ordinal);

    public void Stage(DeviceSnapshot snapshot) => _staged[snapshot.DeviceId] = snapshot;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<DeviceSnapshot>();
        foreach (var id in _staged.Keys)
        {
            if (_staged.TryRemove(id, out var snapshot))
            {
                batch.Add(snapshot);
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        // Chunks of a few hundred: few commits, yet the write lock is never held long enough to
        // keep an alarm waiting.
        foreach (var chunk in batch.Chunk(ChunkSize))
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                foreach (var s in chunk)
                {
                    await db.Devices.Where(d => d.Id == s.DeviceId).ExecuteUpdateAsync(set => set
                        .SetProperty(d => d.LastSeenAt, s.LastSeenAt)
                        .SetProperty(d => d.LastLat, s.Lat)
                        .SetProperty(d => d.LastLon, s.Lon)
                        .SetProperty(d => d.LastAccuracy, s.Accuracy)
                        .SetProperty(d => d.LastPositionAt, s.PositionAt)
                        .SetProperty(d => d.Battery, s.Battery), cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A convenience copy (the live state is in the grains): put it back for the next round,
                // unless the grain has staged a newer one meanwhile.
                foreach (var s in chunk)
                {
                    _staged.TryAdd(s.DeviceId, s);
                }

                LogFlushFailed(exception, chunk.Length);
            }
        }
    }

    [LoggerMessage(3003, LogLevel.Warning, "Writing the last known state of {Devices} device(s) failed; retrying at the next flush")]
    private partial void LogFlushFailed(Exception exception, int devices);
}

/// <summary>A device's last known state, as it goes into its record.</summary>
internal sealed record DeviceSnapshot(
    string DeviceId, DateTimeOffset? LastSeenAt, double? Lat, double? Lon, double? Accuracy, DateTimeOffset? PositionAt, int? Battery);
