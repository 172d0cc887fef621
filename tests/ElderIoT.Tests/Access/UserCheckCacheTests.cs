using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using ElderIoT.Api.Access;
using ElderIoT.Records;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Access;

/// <summary>
/// The per-request user check (is the token's user still enabled, with the access the token says?)
/// answered from a short per-node cache: a burst reads the user's row once per lifetime, a change
/// on this node is seen at the next request, a change on another node within the lifetime. Reads are
/// counted through the cache's read seam, never timed.
/// </summary>
public sealed class UserCheckCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ABurstOfRequestsReadsTheUserRowOncePerLifetimeAndAChangeOnAnotherNodeIsSeenWithinIt()
    {
        var user = User("wang.seat");
        var reads = 0;
        var cache = Cache(async (_, _) =>
        {
            Interlocked.Increment(ref reads);
            await Task.Yield();
            return Copy(user);
        });

        var burst = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => cache.GetAsync("wang.seat", CancellationToken.None)));
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        var stillCached = await cache.GetAsync("wang.seat", CancellationToken.None);
        var readsInTheFirstLifetime = reads;

        // Another node disables them: this node reads the row again once the lifetime is over.
        user.Disabled = true;
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var afterLifetime = await cache.GetAsync("wang.seat", CancellationToken.None);

        Assert.Equal(1, readsInTheFirstLifetime);
        Assert.All(burst, a => Assert.False(a!.Disabled));
        Assert.False(stillCached!.Disabled);
        Assert.Equal(2, reads);
        Assert.Equal("The user is disabled.", afterLifetime!.Refusal(UserStore.ToCaller(user)));
    }

    [Fact]
    public async Task AChangeMadeOnThisNodeIsReadAtTheNextRequest()
    {
        var user = User("li.supervisor");
        var reads = 0;
        var cache = Cache((_, _) =>
        {
            Interlocked.Increment(ref reads);
            return Task.FromResult<UserRecord?>(Copy(user));
        });
        var token = UserStore.ToCaller(user);
        Assert.Null((await cache.GetAsync("li.supervisor", CancellationToken.None))!.Refusal(token));

        user.Role = "installer";
        cache.Forget("li.supervisor");
        var changed = await cache.GetAsync("li.supervisor", CancellationToken.None);

        Assert.Equal(2, reads);
        Assert.NotNull(changed!.Refusal(token)); // a supervisor's token of a user who is now an installer
        Assert.Null(changed.Refusal(UserStore.ToCaller(user)));
    }

    [Fact]
    public async Task AReadThatFailsIsNotKeptSoTheNextRequestTriesAgain()
    {
        var failing = true;
        var reads = 0;
        var cache = Cache((_, _) =>
        {
            Interlocked.Increment(ref reads);
            return failing ? Task.FromException<UserRecord?>(new IOException("disk I/O error")) : Task.FromResult<UserRecord?>(User("zhao.seat"));
        });

        await Assert.ThrowsAsync<IOException>(() => cache.GetAsync("zhao.seat", CancellationToken.None));
        failing = false;
        var next = await cache.GetAsync("zhao.seat", CancellationToken.None);

        Assert.Equal(2, reads);
        Assert.False(next!.Disabled);
    }

    [Fact]
    public async Task ADisabledUserIsRefusedOnTheNextRequestToTheNodeThatDisabledThemAfterABurstReadTheirRowOnce()
    {
        var reads = new ConcurrentDictionary<string, int>();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow); // never advances: every read below is the cache's decision, not the clock's
        await using var node = await TestNode.StartAsync(services: services =>
        {
            services.RemoveAll<UserAccessCache>();
            services.AddSingleton(sp =>
            {
                var users = sp.GetRequiredService<UserStore>();
                return new UserAccessCache(
                    (name, cancellationToken) =>
                    {
                        reads.AddOrUpdate(name, 1, (_, n) => n + 1);
                        return users.FindAsync(name, cancellationToken);
                    },
                    sp.GetRequiredService<IOptions<AuthOptions>>(), clock, sp.GetRequiredService<AccessMetrics>());
            });
        });
        await node.PostAsync<UserResponse>("/api/users", new { userName = "night.supervisor", password = "night-supervisor-pw", role = "supervisor" });
        using var http = new HttpClient { BaseAddress = node.Http.BaseAddress };
        var token = await (await http.PostAsJsonAsync("/api/auth/token", new { userName = "night.supervisor", password = "night-supervisor-pw" })).Content.ReadFromJsonAsync<TokenResponse>(TestNode.Json);
        using var supervisor = node.As(token!.AccessToken);

        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => supervisor.Http.GetAsync("/api/auth/me")));
        var readsOfTheBurst = reads.GetValueOrDefault("night.supervisor");
        using var disable = await node.Http.PutAsJsonAsync("/api/users/night.supervisor", new { role = "supervisor", disabled = true });
        using var next = await supervisor.Http.GetAsync("/api/auth/me");

        Assert.All(burst, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, readsOfTheBurst);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, next.StatusCode);
        foreach (var response in burst)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ATokenOfAUserWhoseRoleAnAdminChangedIsRefusedUntilTheySignInAgain()
    {
        await using var node = await TestNode.StartAsync();
        await node.PostAsync<UserResponse>("/api/users", new { userName = "moved.supervisor", password = "moved-supervisor-pw", role = "supervisor" });
        using var http = new HttpClient { BaseAddress = node.Http.BaseAddress };
        var signIn = new { userName = "moved.supervisor", password = "moved-supervisor-pw" };
        var old = await (await http.PostAsJsonAsync("/api/auth/token", signIn)).Content.ReadFromJsonAsync<TokenResponse>(TestNode.Json);
        using var asSupervisor = node.As(old!.AccessToken);
        using var before = await asSupervisor.Http.GetAsync("/api/auth/me");

        using var change = await node.Http.PutAsJsonAsync("/api/users/moved.supervisor", new { role = "installer" });
        using var withTheOldToken = await asSupervisor.Http.GetAsync("/api/auth/me");
        var fresh = await (await http.PostAsJsonAsync("/api/auth/token", signIn)).Content.ReadFromJsonAsync<TokenResponse>(TestNode.Json);
        var me = await node.As(fresh!.AccessToken).GetAsync<MeResponse>("/api/auth/me");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withTheOldToken.StatusCode);
        Assert.Equal(AccessRole.Installer, me.Role);
    }

    private UserAccessCache Cache(Func<string, CancellationToken, Task<UserRecord?>> read) =>
        new(read, Options.Create(new AuthOptions()), _clock, new AccessMetrics(new TestMeters(), NullLogger<AccessMetrics>.Instance));

    private static UserRecord User(string name) => new() { UserName = name, PasswordHash = "", Role = "supervisor" };

    private static UserRecord Copy(UserRecord user) => new()
    {
        UserName = user.UserName, PasswordHash = "", Role = user.Role, Disabled = user.Disabled, Districts = [.. user.Districts], SeatId = user.SeatId, ElderId = user.ElderId,
    };
}
