using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Telemetry.Pipeline;

/// <summary>
/// Writes telemetry behind the device path: entries wait in a bounded queue and go to the store in
/// batches (by size or age). When the store fails, batches go to the disk spool and are replayed in
/// order once it answers again; while anything is spooled, new batches queue behind it on disk, so
/// order is kept. Memory stays bounded by the queue; nothing is dropped unless the store refuses a
/// batch as malformed, which is counted and logged.
/// </summary>
internal sealed partial class TelemetryWriter : BackgroundService, ITelemetryWriter
{
    private static readonly TimeSpan ReplayBackoff = TimeSpan.FromSeconds(2);

    private readonly Channel<TelemetryEntry> _queue;
    private readonly ITelemetryStore _store;
    private readonly TelemetrySpool _spool;
    private readonly TelemetryMetrics _metrics;
    private readonly TelemetryOptions _options;
    private readonly ILogger<TelemetryWriter> _logger;
    private DateTime _nextReplay = DateTime.MinValue;

    public TelemetryWriter(ITelemetryStore store, TelemetrySpool spool, TelemetryMetrics metrics, IOptions<TelemetryOptions> options, ILogger<TelemetryWriter> logger)
    {
        _store = store;
        _spool = spool;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<TelemetryEntry>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public int Queued => _queue.Reader.Count;

    public int SpooledBatches => _spool.PendingBatches;

    public async ValueTask EnqueueAsync(TelemetryEntry entry, CancellationToken cancellationToken = default)
    {
        await _queue.Writer.WriteAsync(entry, cancellationToken);
        _metrics.Queued();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<TelemetryEntry>(_options.BatchSize);
        try
        {
            while (await WaitForWorkAsync(stoppingToken))
            {
                await FillBatchAsync(batch, stoppingToken);
                await FlushAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await SpoolAsync(batch, CancellationToken.None); // taken from the queue, not yet stored
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Write (or spool) what is still queued, batch by batch, so that a clean shutdown loses nothing.
        var rest = new List<TelemetryEntry>(_options.BatchSize);
        while (_queue.Reader.TryRead(out var entry))
        {
            rest.Add(entry);
            if (rest.Count == _options.BatchSize)
            {
                await FlushAsync(rest, cancellationToken);
                rest.Clear();
            }
        }

        if (rest.Count > 0)
        {
            await FlushAsync(rest, cancellationToken);
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
    private async Task FillBatchAsync(List<TelemetryEntry> batch, CancellationToken stoppingToken)
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

    private async Task FlushAsync(List<TelemetryEntry> batch, CancellationToken cancellationToken)
    {
        await ReplaySpoolAsync(cancellationToken);
        if (!_spool.IsEmpty)
        {
            await SpoolAsync(batch, cancellationToken);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await _store.WriteAsync(batch, cancellationToken);
            _metrics.WrittenBatch(batch.Count, Stopwatch.GetElapsedTime(started));
        }
        catch (TelemetryRejectedException exception)
        {
            _metrics.DroppedBatch(batch.Count);
            LogRejected(exception, batch.Count);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(exception.Message, batch.Count);
            await SpoolAsync(batch, cancellationToken);
        }
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

    private async Task SpoolAsync(List<TelemetryEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await _spool.AppendAsync([.. batch], cancellationToken);
        _metrics.SpooledBatch(batch.Count);
    }

    [LoggerMessage(7001, LogLevel.Warning, "Telemetry store unavailable ({Reason}); {Points} point(s) spooled to disk")]
    private partial void LogUnavailable(string reason, int points);

    [LoggerMessage(7002, LogLevel.Information, "Telemetry store still unavailable ({Reason}); {Batches} batch(es) wait on disk")]
    private partial void LogStillUnavailable(string reason, int batches);

    [LoggerMessage(7003, LogLevel.Information, "Telemetry spool replayed: the store has every point again")]
    private partial void LogCaughtUp();

    [LoggerMessage(7004, LogLevel.Error, "Telemetry store refused {Points} point(s) as malformed; they are dropped")]
    private partial void LogRejected(Exception exception, int points);
}
