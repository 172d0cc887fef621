using System.Diagnostics;
using System.Threading.Channels;
using ElderIoT.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Telemetry.Pipeline;

/// <summary>
/// Writes telemetry behind the device path: entries wait in a bounded queue and go to the store in
/// batches (by size or age). Acknowledged (QoS 1) entries are first made durable in the write-ahead log;
/// their log segment is released only once their batch is in the store or on the spool, and what an
/// earlier process left in the log is replayed at start. When the store fails, batches go to the disk
/// spool and are replayed in order once it answers again. When the spool cannot be written either, the
/// batch stays in memory (and in the log) and is retried with backoff: no exception ever stops the
/// writer, and a fault that clears needs nobody to restart anything.
/// </summary>
internal sealed partial class TelemetryWriter : BackgroundService, ITelemetryWriter
{
    private static readonly TimeSpan ReplayBackoff = TimeSpan.FromSeconds(2);

    private readonly Channel<QueuedEntry> _queue;
    private readonly ITelemetryStore _store;
    private readonly TelemetrySpool _spool;
    private readonly ITelemetryWal _wal;
    private readonly TelemetryMetrics _metrics;
    private readonly TelemetryOptions _options;
    private readonly ILogger<TelemetryWriter> _logger;
    private readonly ResilientLoop _loop;
    private readonly ResilientLoop _recovery;
    private readonly List<QueuedEntry> _batch;
    private readonly HashSet<long> _replayedSegments = [];
    private DateTime _nextReplay = DateTime.MinValue;

    public TelemetryWriter(
        ITelemetryStore store, TelemetrySpool spool, ITelemetryWal wal, TelemetryMetrics metrics, WorkerMetrics workers,
        IOptions<TelemetryOptions> options, ILogger<TelemetryWriter> logger)
    {
        _store = store;
        _spool = spool;
        _wal = wal;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        _loop = new ResilientLoop("telemetry-writer", workers, logger);
        _recovery = new ResilientLoop("telemetry-wal-replay", workers, logger);
        _batch = new List<QueuedEntry>(_options.BatchSize);
        _queue = Channel.CreateBounded<QueuedEntry>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public int Queued => _queue.Reader.Count;

    public int SpooledBatches => _spool.PendingBatches;

    /// <summary>The store and the spool both refused the batch in hand: readings wait in memory.</summary>
    public string? Stuck { get; private set; }

    public async Task AppendDurablyAsync(IReadOnlyList<TelemetryEntry> entries, CancellationToken cancellationToken = default)
    {
        long segment;
        try
        {
            segment = await _wal.AppendAsync(entries, cancellationToken);
        }
        catch (Exception walFailure) when (walFailure is not OperationCanceledException)
        {
            await StoreInsteadOfLogAsync(entries, walFailure, cancellationToken);
            return;
        }

        // Durable from here on: nothing may cancel it halfway into the queue.
        foreach (var entry in entries)
        {
            await _queue.Writer.WriteAsync(new QueuedEntry(entry, segment), CancellationToken.None);
            _metrics.Queued();
        }
    }

    public async ValueTask EnqueueAsync(TelemetryEntry entry, CancellationToken cancellationToken = default)
    {
        await _queue.Writer.WriteAsync(new QueuedEntry(entry, Segment: 0), cancellationToken);
        _metrics.Queued();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Task.Run(() => _recovery.RetryUntilDoneAsync(ReplayWalAsync, stoppingToken), stoppingToken),
        Task.Run(() => _loop.RunAsync(RoundAsync, TimeSpan.Zero, stoppingToken), stoppingToken));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Write (or spool) what is still queued, batch by batch, so that a clean shutdown loses nothing.
        // What cannot be written now is still in the write-ahead log if it was acknowledged.
        try
        {
            while (_batch.Count > 0 || _queue.Reader.TryPeek(out _))
            {
                while (_batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var entry))
                {
                    _batch.Add(entry);
                }

                await FlushAsync(_batch, cancellationToken);
                _batch.Clear();
            }
        }
        catch (Exception exception)
        {
            LogShutdownFlushFailed(exception, _batch.Count + _queue.Reader.Count);
        }
    }

    /// <summary>
    /// One round: the batch in hand from a failed round is retried first; otherwise wait for entries,
    /// fill a batch and write it. A failure leaves the batch in hand and is retried after a backoff.
    /// </summary>
    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        if (_batch.Count == 0)
        {
            if (!await WaitForWorkAsync(stoppingToken))
            {
                return;
            }

            await FillBatchAsync(_batch, stoppingToken);
        }

        await FlushAsync(_batch, stoppingToken);
        _batch.Clear();
        Stuck = null;
    }

    /// <summary>What an earlier process acknowledged but had not stored: back into the queue, segment by segment.</summary>
    private async Task ReplayWalAsync(CancellationToken stoppingToken)
    {
        foreach (var segment in _wal.RecoveredSegments)
        {
            if (_replayedSegments.Contains(segment))
            {
                continue;
            }

            var entries = await _wal.ReadSegmentAsync(segment, stoppingToken);
            _replayedSegments.Add(segment);
            foreach (var entry in entries)
            {
                // Stopped halfway: the segment is not released, so the next start replays it again (exact replays are stored once).
                await _queue.Writer.WriteAsync(new QueuedEntry(entry, segment), stoppingToken);
            }
        }
    }

    /// <summary>
    /// Waits for entries. While batches wait on disk it wakes every replay interval even with no new
    /// entries, so the spool drains as soon as the store is back, not when the next device speaks.
    /// </summary>
    private async Task<bool> WaitForWorkAsync(CancellationToken stoppingToken)
    {
        while (!_spool.IsEmpty)
        {
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wake.CancelAfter(ReplayBackoff);
            try
            {
                return await _queue.Reader.WaitToReadAsync(wake.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                await ReplaySpoolAsync(stoppingToken);
            }
        }

        return await _queue.Reader.WaitToReadAsync(stoppingToken);
    }

    /// <summary>Takes what is queued, waiting up to the batch age for a batch to fill.</summary>
    private async Task FillBatchAsync(List<QueuedEntry> batch, CancellationToken stoppingToken)
    {
        using var age = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        age.CancelAfter(_options.BatchAge);
        try
        {
            while (batch.Count < _options.BatchSize)
            {
                if (_queue.Reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                }
                else if (!await _queue.Reader.WaitToReadAsync(age.Token))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The batch is old enough: write what there is.
        }
    }

    /// <summary>Stores the batch, or spools it; throws (batch kept by the caller) when neither could take it.</summary>
    private async Task FlushAsync(List<QueuedEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await ReplaySpoolAsync(cancellationToken);
        if (!_spool.IsEmpty)
        {
            await SpoolAsync(batch, reason: null, cancellationToken); // behind older batches, to keep the order
            return;
        }

        var entries = batch.Select(q => q.Entry).ToList();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _store.WriteAsync(entries, cancellationToken);
            _metrics.WrittenBatch(batch.Count, Stopwatch.GetElapsedTime(started));
        }
        catch (TelemetryRejectedException exception)
        {
            _metrics.DroppedBatch(batch.Count);
            LogRejected(exception, batch.Count);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await SpoolAsync(batch, exception.Message, cancellationToken);
            return;
        }

        Release(batch);
    }

    private async Task ReplaySpoolAsync(CancellationToken cancellationToken)
    {
        if (_spool.IsEmpty || DateTime.UtcNow < _nextReplay)
        {
            return;
        }

        while (await _spool.PeekOldestAsync(cancellationToken) is var (file, batch))
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await _store.WriteAsync(batch, cancellationToken);
                _metrics.ReplayedBatch(batch.Count, Stopwatch.GetElapsedTime(started));
            }
            catch (TelemetryRejectedException exception)
            {
                _metrics.DroppedBatch(batch.Count);
                LogRejected(exception, batch.Count);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _nextReplay = DateTime.UtcNow + ReplayBackoff;
                LogStillUnavailable(exception.Message, _spool.PendingBatches);
                return;
            }

            _spool.Remove(file);
            if (_spool.IsEmpty)
            {
                LogCaughtUp();
            }
        }
    }

    private async Task SpoolAsync(List<QueuedEntry> batch, string? reason, CancellationToken cancellationToken)
    {
        try
        {
            await _spool.AppendAsync([.. batch.Select(q => q.Entry)], cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _metrics.SpoolFailed(exception);
            Stuck = $"store: {reason ?? "older batches wait on disk"}; spool: {exception.Message}";
            LogSpoolFailed(reason ?? "older batches wait on disk", exception.Message, batch.Count);
            throw;
        }

        _metrics.SpooledBatch(batch.Count);
        if (reason is not null)
        {
            LogSpooled(reason, batch.Count);
        }

        Release(batch);
    }

    /// <summary>The log cannot take them: the store itself is the other durable place.</summary>
    private async Task StoreInsteadOfLogAsync(IReadOnlyList<TelemetryEntry> entries, Exception walFailure, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _store.WriteAsync(entries, cancellationToken);
            _metrics.WrittenBatch(entries.Count, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception storeFailure) when (storeFailure is not OperationCanceledException)
        {
            _metrics.NotAcknowledgedBatch(entries.Count, "no_durable_place");
            LogNotDurable(entries.Count, walFailure.Message, storeFailure.Message);
            throw new TelemetryNotDurableException(
                $"neither the write-ahead log ({walFailure.Message}) nor the store ({storeFailure.Message}) could take the readings", storeFailure);
        }
    }

    private void Release(List<QueuedEntry> batch)
    {
        foreach (var group in batch.Where(q => q.Segment != 0).GroupBy(q => q.Segment))
        {
            _wal.Release(group.Key, group.Count());
        }
    }

    /// <summary>An entry in the queue, with the log segment that holds it (0: held only in memory).</summary>
    private readonly record struct QueuedEntry(TelemetryEntry Entry, long Segment);

    [LoggerMessage(7001, LogLevel.Warning, "Telemetry store unavailable ({Reason}); {Points} point(s) spooled to disk")]
    private partial void LogSpooled(string reason, int points);

    [LoggerMessage(7002, LogLevel.Information, "Telemetry store still unavailable ({Reason}); {Batches} batch(es) wait on disk")]
    private partial void LogStillUnavailable(string reason, int batches);

    [LoggerMessage(7003, LogLevel.Information, "Telemetry spool replayed: the store has every point again")]
    private partial void LogCaughtUp();

    [LoggerMessage(7004, LogLevel.Error, "Telemetry store refused {Points} point(s) as malformed; they are dropped")]
    private partial void LogRejected(Exception exception, int points);

    [LoggerMessage(7005, LogLevel.Error, "Telemetry store unavailable ({Reason}) and spool write failed ({SpoolError}); {Points} point(s) kept in memory and retried")]
    private partial void LogSpoolFailed(string reason, string spoolError, int points);

    [LoggerMessage(7006, LogLevel.Error, "{Points} QoS 1 point(s) not acknowledged: the write-ahead log failed ({WalError}) and so did the store ({StoreError})")]
    private partial void LogNotDurable(int points, string walError, string storeError);

    [LoggerMessage(7007, LogLevel.Error, "Telemetry could not be written at shutdown; {Points} point(s) left (acknowledged ones are replayed from the write-ahead log at the next start)")]
    private partial void LogShutdownFlushFailed(Exception exception, int points);
}
