using ElderIoT.Rules;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Rules;

/// <summary>Inactivity within active hours, door at night, battery, not worn and silence, each on a fake clock.</summary>
public sealed class ActivityAndDeviceRuleTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DailyWindow ActiveHours = DailyWindow.Parse("07:00-22:00");
    private static readonly DailyWindow NightHours = DailyWindow.Parse("22:00-06:00");
    private static readonly ElderDay Day = new(ActiveHours, Shanghai);

    // 08:00 in Shanghai.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void FourHoursWithoutStepsInTheDayRaiseAndTheNextStepRecovers()
    {
        var rule = new InactivityRule(Day, TimeSpan.FromHours(4));
        Assert.Equal(RuleChange.None, rule.Steps(1000, true, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromHours(3.9));
        Assert.Equal(RuleChange.None, rule.Steps(1000, true, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(RuleChange.Raised, rule.Steps(1000, true, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(RuleChange.None, rule.Steps(1000, true, _clock.GetUtcNow()));

        Assert.Equal(RuleChange.Recovered, rule.Steps(1012, true, _clock.GetUtcNow()));
    }

    [Fact]
    public void ANightsSleepIsNotInactivity()
    {
        // Last step 21:00 local; at 07:30 the next morning only 1.5 h of active hours have passed.
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.Zero));
        var rule = new InactivityRule(Day, TimeSpan.FromHours(4));
        rule.Steps(5000, true, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(10.5));

        Assert.Equal(RuleChange.None, rule.Steps(5000, true, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromHours(2.6));
        Assert.Equal(RuleChange.Raised, rule.Steps(5000, true, _clock.GetUtcNow()));
    }

    [Fact]
    public void MotionFromASensorCountsAsActivityAndAWatchOffTheWristSaysNothing()
    {
        var rule = new InactivityRule(Day, TimeSpan.FromHours(4));
        rule.Steps(10, true, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(3));
        rule.Motion(_clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(RuleChange.None, rule.Steps(10, true, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(RuleChange.None, rule.Steps(10, false, _clock.GetUtcNow()));
        Assert.Equal(RuleChange.Raised, rule.Check(_clock.GetUtcNow()));
    }

    [Fact]
    public void AStepCounterResetIsANewBaselineNotActivity()
    {
        var rule = new InactivityRule(Day, TimeSpan.FromHours(4));
        rule.Steps(8000, true, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(2));
        rule.Steps(0, true, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(2.1));

        Assert.Equal(RuleChange.Raised, rule.Steps(0, true, _clock.GetUtcNow()));
    }

    [Theory]
    [InlineData(15, 0, false)] // 23:00 local
    [InlineData(20, 30, false)] // 04:30 local
    [InlineData(1, 0, true)] // 09:00 local
    [InlineData(22, 0, true)] // 06:00 local: night is over
    public void ADoorRaisesOnlyAtNight(int utcHour, int minute, bool recordedOnly)
    {
        var at = new DateTimeOffset(2026, 11, 25, utcHour, minute, 0, TimeSpan.Zero);

        Assert.Equal(!recordedOnly, DoorRule.RaisesAlarm(at, NightHours, Shanghai));
    }

    [Fact]
    public void ActiveHoursOverlapCountsOnlyTheDay()
    {
        var start = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero); // 08:00 local
        var overlap = ActiveHours.Overlap(start, start.AddDays(1), Shanghai);

        Assert.Equal(TimeSpan.FromHours(15), overlap);
    }

    [Fact]
    public void BatteryRaisesAtTheThresholdOnceAndRecoversWellAboveIt()
    {
        var rule = new BatteryRule(15);
        int?[] levels = [40, 16, 4, 5, 16, 20, 26, 10];

        var changes = levels.Select(rule.Level).ToList();

        Assert.Equal([RuleChange.None, RuleChange.None, RuleChange.Raised, RuleChange.None, RuleChange.None, RuleChange.None, RuleChange.Recovered, RuleChange.Raised], changes);
    }

    [Fact]
    public void TheDevicesOwnLowBatteryEventRaisesUnlessAlreadyLow()
    {
        var rule = new BatteryRule(15);
        Assert.Equal(RuleChange.Raised, rule.LowBatteryEvent());
        Assert.Equal(RuleChange.None, rule.LowBatteryEvent());
        Assert.Equal(RuleChange.None, rule.Level(12));
    }

    [Fact]
    public void AWatchOffTheWristLongerThanTheLimitRaisesAndWearingItRecovers()
    {
        var rule = new NotWornRule(Day, TimeSpan.FromMinutes(30));
        Assert.Equal(RuleChange.None, rule.Worn(false, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(RuleChange.None, rule.Worn(null, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(RuleChange.Raised, rule.Worn(false, _clock.GetUtcNow()));
        Assert.Equal(RuleChange.None, rule.Worn(false, _clock.GetUtcNow()));
        Assert.Equal(RuleChange.Recovered, rule.Worn(true, _clock.GetUtcNow()));
    }

    [Fact]
    public void AShowerIsNotNotWorn()
    {
        var rule = new NotWornRule(Day, TimeSpan.FromMinutes(30));
        rule.Worn(false, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(15));
        rule.Worn(true, _clock.GetUtcNow());
        rule.Worn(false, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(RuleChange.None, rule.Worn(false, _clock.GetUtcNow()));
    }

    [Fact]
    public void AWatchTakenOffForTheNightRaisesNothingUntilTheNightIsOverAndTheLimitHasPassed()
    {
        // 23:30 local (Shanghai, UTC+8): the watch comes off for the night and reports so every 10 minutes.
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 15, 30, 0, TimeSpan.Zero));
        var rule = new NotWornRule(Day, TimeSpan.FromMinutes(30));
        var changes = new List<(DateTimeOffset At, RuleChange Change)>();
        var morning = new DateTimeOffset(2026, 11, 26, 7, 0, 0, TimeSpan.FromHours(8));
        while (_clock.GetUtcNow() < morning.AddMinutes(30))
        {
            changes.Add((_clock.GetUtcNow(), rule.Worn(false, _clock.GetUtcNow())));
            _clock.Advance(TimeSpan.FromMinutes(10));
        }

        // 07:30: the night is over and the watch has been off for 30 minutes of the elder's day.
        var atDawnPlusGrace = rule.Worn(false, _clock.GetUtcNow());

        Assert.True(Day.IsNight(changes[0].At));
        Assert.All(changes, c => Assert.Equal(RuleChange.None, c.Change));
        Assert.Equal(RuleChange.Raised, atDawnPlusGrace);
        Assert.Equal(TimeSpan.FromMinutes(30), rule.Detail(_clock.GetUtcNow()).Lasted);
    }

    [Fact]
    public void SilenceIsJudgedAgainstEachDevicesOwnInterval()
    {
        var lastSeen = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromMinutes(11));

        Assert.True(SilenceRule.IsSilent(lastSeen, TimeSpan.FromMinutes(10), _clock.GetUtcNow()));
        Assert.False(SilenceRule.IsSilent(lastSeen, TimeSpan.FromHours(24), _clock.GetUtcNow()));
        Assert.False(SilenceRule.IsSilent(null, TimeSpan.FromMinutes(10), _clock.GetUtcNow()));
    }
}
