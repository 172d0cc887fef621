using ElderIoT.Records;
using Microsoft.Extensions.Options;

namespace ElderIoT.Api.Access;

/// <summary>
/// What the users table says about a token's user, as every authenticated request asks it: kept per
/// node for <see cref="AuthOptions.UserCheckLifetime"/> (5 s), so a burst of requests reads the user's
/// row once instead of once per request. A change made on another node is therefore seen within that
/// time; a change made on this node (<c>PUT /api/users</c>) forgets the entry at once, so the next
/// request reads it afresh. Requests of one user that miss at the same moment share one read. A read
/// that fails is not kept: the next request tries again (and, like every failed check, degrades).
/// </summary>
public sealed class UserAccessCache
{
    /// <summary>Users kept at most; past it expired entries are dropped (names come from signed tokens only, but memory stays bounded).</summary>
    private const int MaxUsers = 10_000;

    private readonly Func<string, CancellationToken, Task<UserRecord?>> _read;
    private readonly IOptions<AuthOptions> _options;
    private readonly TimeProvider _clock;
    private readonly AccessMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public UserAccessCache(UserStore users, IOptions<AuthOptions> options, TimeProvider clock, AccessMetrics metrics)
        : this(users.FindAsync, options, clock, metrics)
    {
    }

    /// <summary>The test seam: <paramref name="read"/> stands for the users table.</summary>
    internal UserAccessCache(Func<string, CancellationToken, Task<UserRecord?>> read, IOptions<AuthOptions> options, TimeProvider clock, AccessMetrics metrics)
    {
        _read = read;
        _options = options;
        _clock = clock;
        _metrics = metrics;
    }

    /// <summary>The user's access as the table said it at most a lifetime ago; null when the table has no such user (a token of an external provider, a development token).</summary>
    public async Task<UserAccess?> GetAsync(string userName, CancellationToken cancellationToken)
    {
        Entry? entry;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            var lifetime = _options.Value.UserCheckLifetime;
            if (!_entries.TryGetValue(userName, out entry) || now - entry.ReadAt >= lifetime || entry.Read.IsFaulted || entry.Read.IsCanceled)
            {
                if (_entries.Count >= MaxUsers)
                {
                    foreach (var expired in _entries.Where(e => now - e.Value.ReadAt >= lifetime).Select(e => e.Key).ToList())
                    {
                        _entries.Remove(expired);
                    }
                }

                // Not the request's token: other requests wait on the same read.
                entry = new Entry(now, ReadAsync(userName));
                _entries[userName] = entry;
            }
        }

        return await entry.Read.WaitAsync(cancellationToken);
    }

    /// <summary>The user was changed on this node: the next request reads them afresh.</summary>
    public void Forget(string userName)
    {
        lock (_gate)
        {
            _entries.Remove(userName);
        }
    }

    private async Task<UserAccess?> ReadAsync(string userName)
    {
        var user = await _read(userName, CancellationToken.None);
        _metrics.UserRead(user is null ? AccessMetrics.UserAbsent : AccessMetrics.UserFound);
        return user is null ? null : new UserAccess(user.Disabled, UserStore.ToCaller(user));
    }

    private sealed record Entry(DateTimeOffset ReadAt, Task<UserAccess?> Read);
}

/// <summary>A user as the table has them now: disabled or not, and what a token of theirs must still say.</summary>
/// <param name="Disabled">An admin disabled them: no token of theirs is accepted.</param>
/// <param name="Current">Their role, seat, elder and districts as the table holds them.</param>
public sealed record UserAccess(bool Disabled, Caller Current)
{
    /// <summary>
    /// Why a token of this user is refused now, or null: disabled, or the token grants what the user no
    /// longer has (an admin changed their role, seat, elder or districts after it was issued): they sign in again.
    /// </summary>
    public string? Refusal(Caller? token)
    {
        if (Disabled)
        {
            return "The user is disabled.";
        }

        if (token is null)
        {
            return null; // No ElderIoT role in it: the role policies refuse it anyway.
        }

        var same = token.Role == Current.Role
            && token.SeatId == Current.SeatId
            && token.ElderId == Current.ElderId
            && token.Districts.ToHashSet(StringComparer.Ordinal).SetEquals(Current.Districts);
        return same ? null : "The user's access changed since the token was issued; sign in again.";
    }
}
