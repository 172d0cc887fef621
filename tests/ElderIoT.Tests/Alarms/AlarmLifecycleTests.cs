using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Grains.Alarms;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Alarms;

/// <summary>The alarm state machine and the escalation ladder, on a fake clock.</summary>
public sealed class AlarmLifecycleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
    private readonly AlarmEscalationPolicy _policy = new(Options.Create(new EscalationOptions()));

    [Fact]
    public void ARaisedAlarmIsOpenAndItsFirstStepIsDueAtOnce()
    {
        var alarm = Raise();

        Assert.Equal(AlarmStatus.Open, alarm.Status);
        Assert.Equal(_clock.GetUtcNow(), alarm.Record.NextStepDueAt);
        Assert.Equal(["raised"], alarm.NewTimeline.Select(t => t.Type));
        Assert.Single(alarm.NewDeviceEvents);
    }

    [Fact]
    public void TheDefaultLadderOffersToTheDistrictThenEveryoneThenFlagsOverdue()
    {
        var alarm = Raise();

        var first = alarm.TakeDueSteps(_clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromSeconds(59));
        var tooEarly = alarm.TakeDueSteps(_clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = alarm.TakeDueSteps(_clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromSeconds(120));
        var third = alarm.TakeDueSteps(_clock.GetUtcNow());

        Assert.Equal(SeatAudience.District, Assert.Single(first).Step.Seats);
        Assert.Equal(ContactAudience.First, first[0].Step.Contacts);
        Assert.Empty(tooEarly);
        Assert.Equal((2, SeatAudience.All, ContactAudience.All), (second[0].Level, second[0].Step.Seats, second[0].Step.Contacts));
        Assert.True(Assert.Single(third).Step.FlagOverdue);
        Assert.True(alarm.Record.Overdue);
        Assert.Null(alarm.Record.NextStepDueAt);
    }

    [Fact]
    public void StepsMissedWhileTheProcessWasDownAreAllTakenOnceWhenItComesBack()
    {
        var alarm = Raise();
        alarm.TakeDueSteps(_clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromMinutes(10));
        var caughtUp = alarm.TakeDueSteps(_clock.GetUtcNow());
        var again = alarm.TakeDueSteps(_clock.GetUtcNow());

        Assert.Equal([2, 3], caughtUp.Select(s => s.Level));
        Assert.Empty(again);
        Assert.Equal(3, alarm.Record.EscalationLevel);
    }

    [Fact]
    public void AnAcceptedAlarmStopsEscalating()
    {
        var alarm = Raise();
        alarm.TakeDueSteps(_clock.GetUtcNow());

        alarm.Accept("seat-1", _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Empty(alarm.TakeDueSteps(_clock.GetUtcNow()));
        Assert.False(alarm.Record.Overdue);
        Assert.Null(alarm.Record.NextStepDueAt);
    }

    [Fact]
    public void AcceptingAnAlarmAnotherSeatHoldsIsAConflictButTheHolderMayRetry()
    {
        var alarm = Raise();
        alarm.Accept("seat-1", _clock.GetUtcNow());

        alarm.Accept("seat-1", _clock.GetUtcNow());
        Assert.Throws<AlarmConflictException>(() => alarm.Accept("seat-2", _clock.GetUtcNow()));
        Assert.Single(alarm.NewTimeline, t => t.Type == "accepted");
    }

    [Fact]
    public void OnlyTheHoldingSeatResolvesAndOnlyOnce()
    {
        var alarm = Raise();
        Assert.Throws<AlarmConflictException>(() => alarm.Resolve("seat-1", AlarmOutcome.Test, null, _clock.GetUtcNow()));
        alarm.Accept("seat-1", _clock.GetUtcNow());
        Assert.Throws<AlarmConflictException>(() => alarm.Resolve("seat-2", AlarmOutcome.Test, null, _clock.GetUtcNow()));

        alarm.Resolve("seat-1", AlarmOutcome.RealEmergency, "120 called", _clock.GetUtcNow());

        Assert.Equal(AlarmStatus.Resolved, alarm.Status);
        Assert.Equal("real_emergency", alarm.Record.Outcome);
        Assert.Throws<AlarmConflictException>(() => alarm.Resolve("seat-1", AlarmOutcome.Test, null, _clock.GetUtcNow()));
        Assert.Throws<AlarmConflictException>(() => alarm.Accept("seat-2", _clock.GetUtcNow()));
    }

    [Fact]
    public void AnElderCancelIsRecordedButTheAlarmStaysOpenAndEscalates()
    {
        var alarm = Raise();
        alarm.TakeDueSteps(_clock.GetUtcNow());

        Assert.True(alarm.RecordCancel(Event("c", DeviceEventType.SosCancel), _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.True(alarm.Record.CancelRequested);
        Assert.Equal(AlarmStatus.Open, alarm.Status);
        Assert.Single(alarm.TakeDueSteps(_clock.GetUtcNow()));
    }

    [Fact]
    public void AResolvedAlarmTakesNoMoreEvents()
    {
        var alarm = Raise();
        alarm.Accept("s", _clock.GetUtcNow());
        alarm.Resolve("s", AlarmOutcome.Test, null, _clock.GetUtcNow());

        Assert.False(alarm.Join(AlarmKind.Fall, Event("j", DeviceEventType.Fall), _clock.GetUtcNow()));
        Assert.False(alarm.RecordCancel(Event("c", DeviceEventType.SosCancel), _clock.GetUtcNow()));
    }

    [Fact]
    public void AConfiguredLadderIsFollowedInTimeOrder()
    {
        var policy = new AlarmEscalationPolicy(Options.Create(new EscalationOptions
        {
            Steps =
            [
                new() { After = TimeSpan.FromSeconds(30), FlagOverdue = true },
                new() { After = TimeSpan.Zero, Seats = SeatAudience.All },
            ],
        }));

        Assert.Equal(SeatAudience.All, policy[0].Seats);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(30), policy.NextDueAt(_clock.GetUtcNow(), 1));
        Assert.Null(policy.NextDueAt(_clock.GetUtcNow(), 2));
    }

    private AlarmLifecycle Raise() =>
        AlarmLifecycle.Raise(Guid.NewGuid(), Guid.NewGuid(), "南京市/鼓楼区", AlarmKind.Sos, Event("e1", DeviceEventType.Sos), _clock.GetUtcNow(), _policy);

    private DeviceEvent Event(string id, DeviceEventType type) =>
        new("w1", id, type, _clock.GetUtcNow(), new GeoPosition(32.06, 118.79, 10));
}
