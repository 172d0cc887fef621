using Microsoft.Extensions.Logging;

namespace ElderIoT.Hosting;

/// <summary>
/// The one rule for every background worker of a node: a failed round is logged, counted and
/// retried after a growing pause, and the worker carries on by itself when the fault clears. A
/// worker that let an exception escape would stop the whole node (the host's default), and with it
/// the alarm service: a full disk must never become an outage.
/// </summary>
public sealed partial class ResilientLoop(string worker, WorkerMetrics metrics, ILogger logger, TimeProvider? time = null)
{
    /// <summary>First pause after a failure; it doubles with each failure in a row, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// Runs <paramref name="round"/> until <paramref name="stoppingToken"/> is cancelled, pausing
    /// <paramref name="pause"/> between successful rounds (none when zero) and backing off after failed ones.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> round, TimeSpan pause, CancellationToken stoppingToken)
    {
        var failuresInARow = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await round(stoppingToken);
                if (failuresInARow > 0)
                {
                    LogResumed(worker, failuresInARow);
                    metrics.Recovered(worker);
                    failuresInARow = 0;
                }

                wait = pause;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failuresInARow++;
                metrics.Failed(worker, exception);
                wait = Backoff(failuresInARow);
                LogFailed(exception, worker, failuresInARow, wait);
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> until it succeeds once, backing off after each failure.</summary>
    public async Task RetryUntilDoneAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var finished = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await RunAsync(
            async token =>
            {
                await work(token);
                await finished.CancelAsync(); // done: no further rounds
            },
            TimeSpan.Zero,
            finished.Token);
    }

    /// <summary>The pause after the given number of failures in a row.</summary>
    public TimeSpan Backoff(int failuresInARow)
    {
        var factor = Math.Pow(2, Math.Min(failuresInARow - 1, 20));
        var backoff = TimeSpan.FromTicks((long)Math.Min(FirstBackoff.Ticks * factor, MaxBackoff.Ticks));
        return backoff;
    }

    [LoggerMessage(9001, LogLevel.Error, "Background worker {Worker} failed ({Failures} in a row); retrying in {Backoff}")]
    private partial void LogFailed(Exception exception, string worker, int failures, TimeSpan backoff);

    [LoggerMessage(9002, LogLevel.Information, "Background worker {Worker} resumed after {Failures} failure(s)")]
    private partial void LogResumed(string worker, int failures);
}
