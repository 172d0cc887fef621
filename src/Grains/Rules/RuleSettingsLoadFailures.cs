using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Rules;

/// <summary>
/// Elders' rule settings that could not be loaded (the main pool exhausted, the database away): counted
/// per failure (<c>elderiot.rules.decisions{rule="settings",reason="load_failed"}</c>) and logged once per
/// <see cref="LogEvery"/> for the whole node, with how many failed meanwhile. Thousands of elder grains
/// failing at once in a connect storm logged one line each, which hid what mattered in the log.
/// </summary>
public sealed class RuleSettingsLoadFailures(RuleMetrics metrics, ILogger logger)
{
    /// <summary>How often the node says that loads fail while they do.</summary>
    public static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);

    /// <summary>How long an elder whose settings failed to load waits before its next reading tries again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    private long _failedSinceLogged;
    private long _loggedAt = long.MinValue;

    /// <summary>One elder's load failed; its readings are held and it tries again after <see cref="RetryAfter"/>.</summary>
    public void Failed(Exception exception)
    {
        metrics.Decided("settings", "load_failed");
        var failed = Interlocked.Increment(ref _failedSinceLogged);
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _loggedAt);
        if ((last != long.MinValue && Stopwatch.GetElapsedTime(last, now) < LogEvery) || Interlocked.CompareExchange(ref _loggedAt, now, last) != last)
        {
            return;
        }

        failed = Interlocked.Exchange(ref _failedSinceLogged, 0);
        RuleLog.SettingsLoadFailed(logger, exception, Math.Max(failed, 1), LogEvery, RetryAfter);
    }
}
