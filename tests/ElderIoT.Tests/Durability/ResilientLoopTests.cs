using ElderIoT.Hosting;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Tests.Durability;

/// <summary>The one rule every background worker runs under: fail, count, back off, resume by itself.</summary>
public sealed class ResilientLoopTests
{
    [Fact]
    public async Task AWorkerWhoseRoundsFailIsCountedBacksOffAndResumesWithoutEndingTheLoop()
    {
        var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var metrics = new WorkerMetrics(new TestMeters());
        var loop = new ResilientLoop("test-worker", metrics, loggerFactory.CreateLogger("test")) { FirstBackoff = TimeSpan.FromMilliseconds(10) };
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var running = loop.RunAsync(
            _ =>
            {
                rounds++;
                if (rounds <= 3)
                {
                    throw new IOException("database or disk is full");
                }

                if (rounds == 5)
                {
                    resumed.TrySetResult();
                }

                return Task.CompletedTask;
            },
            TimeSpan.Zero,
            stop.Token);
        await resumed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await running;

        Assert.Equal(3, metrics.Failures);
        Assert.Equal(3, logs.Entries.Count(e => e.EventId.Id == 9001 && e.Message.Contains("test-worker")));
        Assert.Single(logs.Entries, e => e.EventId.Id == 9002 && e.Message.Contains("resumed after 3 failure(s)"));
        Assert.Equal([TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40)], [loop.Backoff(1), loop.Backoff(2), loop.Backoff(3)]);
        Assert.Equal(loop.MaxBackoff, loop.Backoff(30));
    }
}
