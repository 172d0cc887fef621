using System.Collections.Concurrent;
using System.Net;
using ElderIoT.Contracts.Devices;
using Microsoft.Extensions.Options;

namespace ElderIoT.Gateway.Guard;

/// <summary>
/// Slows logins after failures, per client id and per source address. Past the allowance of
/// failures within <see cref="ConnectionLimits.FailedLoginWindow"/>, every further attempt is
/// delayed before its credentials are checked (doubling, up to <see cref="ConnectionLimits.MaxFailedLoginDelay"/>),
/// whether its secret is right or wrong: an answer that came fast for the right secret would tell a
/// guesser which guess was right. It never refuses: a device whose id someone else is hammering
/// still gets in with its secret, a few seconds late. What it buys is that a flood of bad logins
/// (each one activates a device grain and reads the records) runs at a trickle.
/// </summary>
public sealed class LoginThrottle(IOptions<ConnectionLimits> options, TimeProvider time)
{
    // An attacker choosing fresh ids and addresses must not grow these maps without bound: past this
    // many keys the expired ones are dropped, and while it is still full new keys are not tracked.
    internal const int MaxTrackedKeys = 100_000;

    private readonly ConcurrentDictionary<string, Failures> _byClientId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, Failures> _byAddress = new();

    /// <summary>How long to hold this attempt before checking it, and which limit made it so (none: no wait).</summary>
    public (TimeSpan Delay, GuardLimit? Limit) DelayFor(string? clientId, EndPoint? remote)
    {
        var limits = options.Value;
        var now = time.GetTimestamp();
        var byId = !DeviceIds.IsWellFormed(clientId) ? TimeSpan.Zero : Delay(_byClientId, clientId, limits.FailedLoginsPerClientId, now);
        var byAddress = Delay(_byAddress, SourceAddress.KeyOf(remote), limits.FailedLoginsPerAddress, now);
        if (byId == TimeSpan.Zero && byAddress == TimeSpan.Zero)
        {
            return (TimeSpan.Zero, null);
        }

        return byId >= byAddress ? (byId, GuardLimit.FailedLoginsClientId) : (byAddress, GuardLimit.FailedLoginsAddress);
    }

    /// <summary>Remembers a refused login.</summary>
    public void Failed(string? clientId, EndPoint? remote)
    {
        var now = time.GetTimestamp();
        if (DeviceIds.IsWellFormed(clientId))
        {
            Count(_byClientId, clientId, now); // ill-formed ids (any length) count only against the address
        }

        Count(_byAddress, SourceAddress.KeyOf(remote), now);
    }

    /// <summary>
    /// The client id proved its secret: its own failures are forgotten (only its holder can do that).
    /// Its address's are not, since an attacker may hold one real device.
    /// </summary>
    public void Succeeded(string clientId) => _byClientId.TryRemove(clientId, out _);

    private TimeSpan Delay<TKey>(ConcurrentDictionary<TKey, Failures> map, TKey key, int allowance, long now)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var failures))
        {
            return TimeSpan.Zero;
        }

        var limits = options.Value;
        var count = failures.Within(now, limits.FailedLoginWindow, time);
        if (count == 0 || count < allowance)
        {
            return TimeSpan.Zero;
        }

        var doubled = limits.FailedLoginDelay.Ticks * Math.Pow(2, Math.Min(count - allowance, 30));
        return TimeSpan.FromTicks((long)Math.Min(doubled, limits.MaxFailedLoginDelay.Ticks));
    }

    private void Count<TKey>(ConcurrentDictionary<TKey, Failures> map, TKey key, long now)
        where TKey : notnull
    {
        var window = options.Value.FailedLoginWindow;
        if (!map.TryGetValue(key, out var failures))
        {
            if (map.Count >= MaxTrackedKeys)
            {
                foreach (var (staleKey, stale) in map)
                {
                    if (stale.Within(now, window, time) == 0)
                    {
                        map.TryRemove(staleKey, out _);
                    }
                }

                if (map.Count >= MaxTrackedKeys)
                {
                    return;
                }
            }

            failures = map.GetOrAdd(key, _ => new Failures());
        }

        failures.Add(now, window, time);
    }

    /// <summary>Failures in the current window (a fixed window restarted by the first failure after it ends).</summary>
    private sealed class Failures
    {
        private long _windowStart;
        private int _count;

        public int Within(long now, TimeSpan window, TimeProvider time)
        {
            lock (this)
            {
                return time.GetElapsedTime(_windowStart, now) < window ? _count : 0;
            }
        }

        public void Add(long now, TimeSpan window, TimeProvider time)
        {
            lock (this)
            {
                if (_count == 0 || time.GetElapsedTime(_windowStart, now) >= window)
                {
                    _windowStart = now;
                    _count = 0;
                }

                _count++;
            }
        }
    }
}
