using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ElderIoT.Api.Access;

/// <summary>
/// Slows password guessing per user name: past <see cref="AuthOptions.FailedSignInsPerUser"/> failures
/// within the window, each attempt for that name waits (doubling, capped) before it is checked. A
/// wait, not a lock-out: a seat who mistyped is never shut out of an alarm shift by an attacker.
/// </summary>
public sealed class SignInThrottle(IOptions<AuthOptions> options, TimeProvider clock)
{
    /// <summary>Names remembered at most; beyond it the oldest failures are forgotten (memory stays bounded under a spray).</summary>
    private const int MaxNames = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long an attempt for this name must wait before it is checked.</summary>
    public TimeSpan DelayFor(string userName)
    {
        var auth = options.Value;
        if (!_failures.TryGetValue(userName, out var failures) || clock.GetUtcNow() - failures.Since > auth.FailedSignInWindow)
        {
            return TimeSpan.Zero;
        }

        var over = failures.Count - auth.FailedSignInsPerUser;
        if (over < 0)
        {
            return TimeSpan.Zero;
        }

        var delay = auth.FailedSignInDelay * Math.Pow(2, Math.Min(over, 16));
        return delay < auth.MaxFailedSignInDelay ? delay : auth.MaxFailedSignInDelay;
    }

    public void Failed(string userName)
    {
        var now = clock.GetUtcNow();
        var window = options.Value.FailedSignInWindow;
        if (_failures.Count >= MaxNames)
        {
            foreach (var (name, old) in _failures)
            {
                if (now - old.Since > window)
                {
                    _failures.TryRemove(name, out _);
                }
            }
        }

        _failures.AddOrUpdate(userName, _ => new Failures(now, 1),
            (_, f) => now - f.Since > window ? new Failures(now, 1) : f with { Count = f.Count + 1 });
    }

    public void Succeeded(string userName) => _failures.TryRemove(userName, out _);

    private sealed record Failures(DateTimeOffset Since, int Count);
}
