using System.Net;
using ElderIoT.Gateway.Guard;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Gateway;

public sealed class LoginThrottleTests
{
    private static readonly IPEndPoint Home = new(IPAddress.Parse("203.0.113.7"), 40000);
    private static readonly IPEndPoint Elsewhere = new(IPAddress.Parse("198.51.100.9"), 40000);

    private readonly FakeTimeProvider _time = new();
    private readonly LoginThrottle _throttle;

    public LoginThrottleTests() => _throttle = new LoginThrottle(Options.Create(new ConnectionLimits
    {
        FailedLoginsPerClientId = 3,
        FailedLoginsPerAddress = 10,
        FailedLoginWindow = TimeSpan.FromMinutes(1),
        FailedLoginDelay = TimeSpan.FromSeconds(1),
        MaxFailedLoginDelay = TimeSpan.FromSeconds(5),
    }), _time);

    [Fact]
    public void AClientIdIsSlowedOnceItsAllowanceIsSpentAndTheDelayDoublesUpToTheCap()
    {
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            delays.Add(_throttle.DelayFor("w-1", Elsewhere).Delay);
            _throttle.Failed("w-1", Home);
        }

        Assert.Equal(new[] { 0, 0, 0, 1, 2, 4, 5 }.Select(s => TimeSpan.FromSeconds(s)), delays);
        Assert.Equal(GuardLimit.FailedLoginsClientId, _throttle.DelayFor("w-1", Elsewhere).Limit);
        Assert.Equal((TimeSpan.Zero, null), _throttle.DelayFor("w-2", Elsewhere));
    }

    [Fact]
    public void AnAddressIsSlowedForEveryIdItTries()
    {
        for (var i = 0; i < 10; i++)
        {
            _throttle.Failed($"guess-{i}", Home);
        }

        Assert.Equal((TimeSpan.FromSeconds(1), GuardLimit.FailedLoginsAddress), _throttle.DelayFor("w-new", Home));
        Assert.Equal((TimeSpan.Zero, null), _throttle.DelayFor("w-new", Elsewhere));
    }

    [Fact]
    public void FailuresAreForgottenAfterTheWindow()
    {
        for (var i = 0; i < 5; i++)
        {
            _throttle.Failed("w-1", Home);
        }

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal((TimeSpan.Zero, null), _throttle.DelayFor("w-1", Home));
    }

    [Fact]
    public void TheRightSecretClearsItsIdButNotItsAddress()
    {
        for (var i = 0; i < 10; i++)
        {
            _throttle.Failed("w-1", Home);
        }

        _throttle.Succeeded("w-1");

        Assert.Equal(GuardLimit.FailedLoginsAddress, _throttle.DelayFor("w-1", Home).Limit);
        Assert.Equal((TimeSpan.Zero, null), _throttle.DelayFor("w-1", Elsewhere));
    }

    [Fact]
    public void IllFormedIdsCountOnlyAgainstTheAddressSoRandomHugeIdsCannotGrowTheTable()
    {
        var huge = new string('A', 60_000);
        for (var i = 0; i < 5; i++)
        {
            _throttle.Failed(huge, Elsewhere);
        }

        Assert.Equal((TimeSpan.Zero, null), _throttle.DelayFor(huge, Home));
    }

    [Fact]
    public void IPv6SourcesCountByTheirSlash64()
    {
        for (var i = 0; i < 10; i++)
        {
            _throttle.Failed("w-1", new IPEndPoint(IPAddress.Parse($"2001:db8:1:2::{i + 1:x}"), 1883));
        }

        Assert.Equal(GuardLimit.FailedLoginsAddress, _throttle.DelayFor("w-9", new IPEndPoint(IPAddress.Parse("2001:db8:1:2:ffff::1"), 1)).Limit);
        Assert.Null(_throttle.DelayFor("w-9", new IPEndPoint(IPAddress.Parse("2001:db8:1:3::1"), 1)).Limit);
    }
}
