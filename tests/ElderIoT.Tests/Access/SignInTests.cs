using System.Net;
using System.Net.Http.Json;
using ElderIoT.Api.Access;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Access;

/// <summary>Users, passwords and tokens: the contract the console signs in with.</summary>
public sealed class SignInTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task AnAdminAddsASeatWhoSignsInAndActsAsTheSeatOfItsRecord()
    {
        await Node.PostAsync<UserResponse>("/api/users", new { userName = "wang.seat", password = "wang-seat-password", role = "seat", seatId = "seat-wang", districts = new[] { "南京市/秦淮区" } });
        using var http = new HttpClient { BaseAddress = Node.Http.BaseAddress };

        using var wrong = await http.PostAsJsonAsync("/api/auth/token", new { userName = "wang.seat", password = "not-the-password" });
        var token = await (await http.PostAsJsonAsync("/api/auth/token", new { userName = "wang.seat", password = "wang-seat-password" })).Content.ReadFromJsonAsync<TokenResponse>(TestNode.Json);
        var me = await Node.As(token!.AccessToken).GetAsync<MeResponse>("/api/auth/me");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal(("Bearer", AccessRole.Seat, "seat-wang"), (token.TokenType, token.Role, token.SeatId));
        Assert.True(token.ExpiresAt > DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(("wang.seat", AccessRole.Seat, "seat-wang"), (me.UserName, me.Role, me.SeatId));
        Assert.Equal(["南京市/秦淮区"], me.Districts);
    }

    [Fact]
    public async Task TheTokenCommandIssuesATokenTheNodeAccepts()
    {
        var (exit, output) = await ExternalProcess.RunAsync("dotnet", NodeProcess.Executable, "token", "--user", "dev-seat", "--role", "seat",
            "--seat-id", "seat-dev", "--districts", "南京市/秦淮区,南京市/鼓楼区", "--Auth:SigningKey", TestTokens.SigningKey,
            "--Storage:DataDirectory", RepoPaths.TempDirectory("token-command"));

        Assert.True(exit == 0, output);
        var me = await Node.As(output.Trim()).GetAsync<MeResponse>("/api/auth/me");
        Assert.Equal(("dev-seat", AccessRole.Seat, "seat-dev"), (me.UserName, me.Role, me.SeatId));
        Assert.Equal(["南京市/秦淮区", "南京市/鼓楼区"], me.Districts);
    }

    [Fact]
    public void AGeneratedSigningKeyIsKeptReadableByTheServiceUserOnlyAndReusedOnTheNextStart()
    {
        var directory = RepoPaths.TempDirectory("signing-key");

        var first = SigningKeys.Load(null, directory);
        var second = SigningKeys.Load(null, directory);

        Assert.Equal(first.Key, second.Key);
        Assert.Equal(64, first.Key.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, SigningKeys.FileName)));
        }
    }

    [Fact]
    public async Task ADisabledUsersTokenIsRefusedAtOnceAndTheyCannotSignIn()
    {
        await Node.PostAsync<UserResponse>("/api/users", new { userName = "leaver", password = "leaver-password-1", role = "supervisor" });
        using var http = new HttpClient { BaseAddress = Node.Http.BaseAddress };
        var token = await (await http.PostAsJsonAsync("/api/auth/token", new { userName = "leaver", password = "leaver-password-1" })).Content.ReadFromJsonAsync<TokenResponse>(TestNode.Json);
        using var leaver = Node.As(token!.AccessToken);
        using var before = await leaver.Http.GetAsync("/api/elders");

        using var disable = await Node.Http.PutAsJsonAsync("/api/users/leaver", new { role = "supervisor", disabled = true });
        using var after = await leaver.Http.GetAsync("/api/elders");
        using var again = await http.PostAsJsonAsync("/api/auth/token", new { userName = "leaver", password = "leaver-password-1" });

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task UsersAreListedWithoutPasswordsOrHashes()
    {
        await Node.PostAsync<UserResponse>("/api/users", new { userName = "li.family", password = "li-family-password", role = "family", elderId = fixture.Elder.Id });

        var text = await Node.Http.GetStringAsync("/api/users");

        Assert.Contains("li.family", text);
        Assert.DoesNotContain("li-family-password", text);
        Assert.DoesNotContain("AQAAAA", text); // the start of every Identity v3 hash
    }

    [Fact]
    public void RepeatedFailedSignInsForOneNameAreSlowedDoublingUpToTheCapAndASuccessClearsThem()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new SignInThrottle(Options.Create(new AuthOptions()), clock);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, throttle.DelayFor("admin"));
            throttle.Failed("admin");
        }

        var first = throttle.DelayFor("admin");
        throttle.Failed("admin");
        var second = throttle.DelayFor("admin");
        for (var i = 0; i < 20; i++)
        {
            throttle.Failed("admin");
        }

        Assert.Equal(TimeSpan.FromSeconds(1), first);
        Assert.Equal(TimeSpan.FromSeconds(2), second);
        Assert.Equal(TimeSpan.FromSeconds(10), throttle.DelayFor("admin"));
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor("seat-1")); // another name is not slowed
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor("admin"));
        throttle.Failed("admin");
        throttle.Succeeded("admin");
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor("admin"));
    }
}
