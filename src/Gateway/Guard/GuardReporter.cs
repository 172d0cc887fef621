using System.Collections.Concurrent;
using ElderIoT.Gateway.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Gateway.Guard;

/// <summary>
/// Counts every time a client runs into a limit, and logs it once per burst: the first hit with
/// its details, then one summary line with how many followed within <see cref="ConnectionLimits.LogInterval"/>.
/// A flood of hostile connections therefore costs a few log lines, not one per connection.
/// </summary>
public sealed partial class GuardReporter(
    GatewayMetrics metrics,
    TimeProvider time,
    IOptions<ConnectionLimits> limits,
    ILogger<GuardReporter> logger) : IDisposable
{
    private readonly ConcurrentDictionary<(string Listener, GuardLimit Limit), Burst> _bursts = new();

    /// <summary>Counts one hit of <paramref name="limit"/>; <paramref name="detail"/> must already be made safe with <see cref="LogText"/>.</summary>
    public void Hit(string listener, GuardLimit limit, string detail)
    {
        metrics.Limited(limit.Tag(), listener);
        var interval = limits.Value.LogInterval;
        var burst = _bursts.GetOrAdd((listener, limit), _ => new Burst());
        lock (burst)
        {
            var now = time.GetUtcNow();
            if (now >= burst.Until)
            {
                Summarise(listener, limit, burst);
                burst.Until = now + interval;
                LogLimitHit(listener, limit.Tag(), detail, interval);
                return;
            }

            if (burst.Suppressed++ == 0)
            {
                burst.Timer?.Dispose();
                burst.Timer = time.CreateTimer(_ => SummariseLater(listener, limit, burst), null, burst.Until - now, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        foreach (var burst in _bursts.Values)
        {
            lock (burst)
            {
                burst.Timer?.Dispose();
            }
        }
    }

    private void SummariseLater(string listener, GuardLimit limit, Burst burst)
    {
        lock (burst)
        {
            Summarise(listener, limit, burst);
        }
    }

    private void Summarise(string listener, GuardLimit limit, Burst burst)
    {
        if (burst.Suppressed > 0)
        {
            LogLimitHitAgain(listener, limit.Tag(), burst.Suppressed, limits.Value.LogInterval);
            burst.Suppressed = 0;
        }
    }

    [LoggerMessage(6201, LogLevel.Warning, "MQTT {Listener} listener: limit {Limit} hit by {Detail}; further hits within {Interval} are counted and summarised")]
    private partial void LogLimitHit(string listener, string limit, string detail, TimeSpan interval);

    [LoggerMessage(6202, LogLevel.Warning, "MQTT {Listener} listener: limit {Limit} hit {Count} more times within {Interval}")]
    private partial void LogLimitHitAgain(string listener, string limit, long count, TimeSpan interval);

    private sealed class Burst
    {
        public DateTimeOffset Until { get; set; } = DateTimeOffset.MinValue;

        public long Suppressed { get; set; }

        public ITimer? Timer { get; set; }
    }
}
