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

        Assert.Equal(CancelScope.Whole, alarm.RecordCancel(Event("c", DeviceEventType.SosCancel), _clock.GetUtcNow()));
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

        Assert.Equal(JoinResult.Closed, alarm.Join(Trigger(AlarmKind.Fall, "j"), _clock.GetUtcNow()));
        Assert.Equal(CancelScope.NoOpenAlarm, alarm.RecordCancel(Event("c", DeviceEventType.SosCancel), _clock.GetUtcNow()));
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
        var alarm = Raise(policy: policy);

        var first = alarm.TakeDueSteps(_clock.GetUtcNow());

        Assert.Equal(SeatAudience.All, Assert.Single(first).Step.Seats);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(30), alarm.Record.NextStepDueAt);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(Assert.Single(alarm.TakeDueSteps(_clock.GetUtcNow())).Step.FlagOverdue);
        Assert.Null(alarm.Record.NextStepDueAt);
    }

    // Incidents: causes of one elder close in time are one alarm that names all of them.

    [Fact]
    public void GasAfterSmokeMakesOneIncidentThatNamesBothKindsAndBothSensors()
    {
        var alarm = Raise(Trigger(AlarmKind.Smoke, "s1", device: "smoke-1"));

        var joined = alarm.Join(Trigger(AlarmKind.Gas, "g1", device: "gas-1"), _clock.GetUtcNow());
        var snapshot = alarm.ToSnapshot();

        Assert.Equal(JoinResult.Joined, joined);
        Assert.Equal([AlarmKind.Smoke, AlarmKind.Gas], snapshot.Kinds);
        Assert.Equal(["smoke-1", "gas-1"], snapshot.Devices);
        Assert.Equal(AlarmSeverity.Critical, snapshot.Severity);
    }

    [Fact]
    public void SmokeFromTwoSensorsIsOneKindFromTwoDevices()
    {
        var alarm = Raise(Trigger(AlarmKind.Smoke, "s1", device: "smoke-kitchen"));

        alarm.Join(Trigger(AlarmKind.Smoke, "s2", device: "smoke-hall"), _clock.GetUtcNow());

        Assert.Equal([AlarmKind.Smoke], alarm.ToSnapshot().Kinds);
        Assert.Equal(["smoke-kitchen", "smoke-hall"], alarm.ToSnapshot().Devices);
    }

    [Fact]
    public void AnSosWhileOnlyAMaintenanceAlarmIsOpenRaisesItsSeverityAndStartsTheCriticalLadderAfresh()
    {
        var alarm = Raise(Trigger(AlarmKind.DeviceSilent, "silent", device: "w1"));
        var low = alarm.TakeDueSteps(_clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(3));

        var result = alarm.Join(Trigger(AlarmKind.Sos, "sos"), _clock.GetUtcNow());
        var critical = alarm.TakeDueSteps(_clock.GetUtcNow());

        Assert.Equal(ContactAudience.None, Assert.Single(low).Step.Contacts);
        Assert.Equal(JoinResult.Upgraded, result);
        Assert.Equal(AlarmSeverity.Critical, alarm.Record.Severity);
        Assert.Equal("sos", alarm.Record.Kind);
        // The critical ladder's first step: seats and the family at once; its level follows the low ladder's.
        var step = Assert.Single(critical);
        Assert.Equal((2, SeatAudience.District, ContactAudience.First, true), (step.Level, step.Step.Seats, step.Step.Contacts, step.FirstOfLadder));
        Assert.Contains(alarm.NewTimeline, t => t.Type == "severity_raised");
    }

    [Fact]
    public void ACauseLaterThanTheIncidentWindowAfterASeatTookTheAlarmIsANewIncident()
    {
        var alarm = Raise();
        alarm.Accept("seat-1", _clock.GetUtcNow());
        _clock.Advance(new EscalationOptions().IncidentWindow + TimeSpan.FromSeconds(1));

        Assert.Equal(JoinResult.OutsideWindow, alarm.Join(Trigger(AlarmKind.Fall, "f"), _clock.GetUtcNow()));
    }

    [Fact]
    public void ACauseJoinsAnAlarmNobodyTookHoweverLateItComes()
    {
        var alarm = Raise();
        _clock.Advance(new EscalationOptions().IncidentWindow * 2);

        Assert.Equal(JoinResult.Joined, alarm.Join(Trigger(AlarmKind.Fall, "f"), _clock.GetUtcNow()));
    }

    // Cancel scoping: a watch's cancel covers what it raised and the elder's SOS, never a sensor's smoke.

    [Fact]
    public void AWatchCancelDoesNotCancelASmokeAlarmRaisedByASensor()
    {
        var alarm = Raise(Trigger(AlarmKind.Smoke, "s1", device: "smoke-1"));

        var scope = alarm.RecordCancel(Event("c", DeviceEventType.SosCancel), _clock.GetUtcNow());

        Assert.Equal(CancelScope.Ignored, scope);
        Assert.False(alarm.Record.CancelRequested);
        Assert.DoesNotContain(alarm.NewTimeline, t => t.Type == "cancel_requested");
        var ignored = Assert.Single(alarm.NewTimeline, t => t.Type == "cancel_ignored");
        Assert.Equal(["w1", "smoke"], ignored.Parameters);
    }

    [Fact]
    public void ACancelCoversTheElderSosFromAnotherDeviceButNotTheSmokeBesideIt()
    {
        var alarm = Raise(Trigger(AlarmKind.Sos, "sos", device: "handset"));
        alarm.Join(Trigger(AlarmKind.Smoke, "s1", device: "smoke-1"), _clock.GetUtcNow());

        var scope = alarm.RecordCancel(Event("c", DeviceEventType.SosCancel), _clock.GetUtcNow());

        Assert.Equal(CancelScope.Partial, scope);
        Assert.False(alarm.Record.CancelRequested);
        Assert.Equal(["sos"], Assert.Single(alarm.NewTimeline, t => t.Type == "cancel_requested").Parameters);
        Assert.Equal(["w1", "smoke"], Assert.Single(alarm.NewTimeline, t => t.Type == "cancel_ignored").Parameters);
    }

    // Late events: buffered while offline, raised anyway and flagged with the delay.

    [Fact]
    public void AnSosBufferedWhileOfflineIsRaisedAndFlaggedLateWithItsDelay()
    {
        var deviceTime = _clock.GetUtcNow().AddMinutes(-12);
        var buffered = new DeviceEvent("w1", "e1", DeviceEventType.Sos, deviceTime, null) { DeviceTime = deviceTime };

        var alarm = Raise(new AlarmTrigger(AlarmKind.Sos, AlarmSeverity.Critical, buffered, AlarmSource.Device));

        Assert.True(alarm.ToSnapshot().Late);
        Assert.Contains("12 min", alarm.ToSnapshot().Anomalies.Single(a => a.Kind == EventAnomalyKind.ArrivedLate).Detail, StringComparison.Ordinal);
        Assert.Contains(alarm.NewTimeline, t => t.Type == "anomaly" && t.Parameters[0] == "arrived_late");
        Assert.Equal(_clock.GetUtcNow(), alarm.Record.NextStepDueAt);
    }

    [Fact]
    public void AnSosAMinuteOldIsNotLate()
    {
        var deviceTime = _clock.GetUtcNow().AddMinutes(-1);
        var alarm = Raise(new AlarmTrigger(AlarmKind.Sos, AlarmSeverity.Critical, new DeviceEvent("w1", "e1", DeviceEventType.Sos, deviceTime, null) { DeviceTime = deviceTime }, AlarmSource.Device));

        Assert.False(alarm.ToSnapshot().Late);
    }

    // Ladders per severity.

    [Theory]
    [InlineData(AlarmSeverity.Critical, ContactAudience.First)]
    [InlineData(AlarmSeverity.High, ContactAudience.None)]
    [InlineData(AlarmSeverity.Medium, ContactAudience.None)]
    [InlineData(AlarmSeverity.Low, ContactAudience.None)]
    public void EachSeverityWalksItsOwnLadderAndOnlyCriticalTextsTheFamilyAtOnce(AlarmSeverity severity, ContactAudience atOnce)
    {
        var alarm = Raise(Trigger(AlarmKind.Sos, "e", severity: severity));

        var first = Assert.Single(alarm.TakeDueSteps(_clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromHours(1));
        var later = alarm.TakeDueSteps(_clock.GetUtcNow());

        Assert.Equal(atOnce, first.Step.Contacts);
        Assert.Equal(severity == AlarmSeverity.Low, first.Step.Maintenance);
        // Medium and low never text the family, whatever the step.
        if (severity is AlarmSeverity.Medium or AlarmSeverity.Low)
        {
            Assert.All(later, s => Assert.Equal(ContactAudience.None, s.Step.Contacts));
        }

        Assert.Equal(severity != AlarmSeverity.Low, alarm.Record.Overdue);
    }

    // Centre alarms that clear themselves.

    [Fact]
    public void ASilentDeviceBackBeforeAnyoneTookTheAlarmClosesItAsSelfCleared()
    {
        var alarm = Raise(Trigger(AlarmKind.DeviceSilent, "silent", device: "w1", severity: AlarmSeverity.Low));

        var result = alarm.Clear(AlarmKind.DeviceSilent, "w1", AlarmRecovery.DeviceReporting, _clock.GetUtcNow());

        Assert.Equal(AlarmClearResult.SelfCleared, result);
        Assert.Equal(AlarmStatus.Resolved, alarm.Status);
        Assert.Equal("self_cleared", alarm.Record.Outcome);
        Assert.Null(alarm.Record.NextStepDueAt);
    }

    [Fact]
    public void ARecoveryAfterASeatTookTheAlarmIsRecordedAndTheSeatDecides()
    {
        var alarm = Raise(Trigger(AlarmKind.DeviceSilent, "silent", device: "w1", severity: AlarmSeverity.Low));
        alarm.Accept("seat-1", _clock.GetUtcNow());

        var result = alarm.Clear(AlarmKind.DeviceSilent, "w1", AlarmRecovery.DeviceReporting, _clock.GetUtcNow());

        Assert.Equal(AlarmClearResult.RecoveryRecorded, result);
        Assert.Equal(AlarmStatus.Accepted, alarm.Status);
        Assert.Equal(["device_silent", "w1", "device_reporting"], Assert.Single(alarm.NewTimeline, t => t.Type == "recovered").Parameters);
    }

    [Fact]
    public void ARecoveryDoesNotCloseAnIncidentThatAlsoHoldsAnSos()
    {
        var alarm = Raise(Trigger(AlarmKind.DeviceSilent, "silent", device: "w1", severity: AlarmSeverity.Low));
        alarm.Join(Trigger(AlarmKind.Sos, "sos", device: "handset"), _clock.GetUtcNow());

        Assert.Equal(AlarmClearResult.RecoveryRecorded, alarm.Clear(AlarmKind.DeviceSilent, "w1", AlarmRecovery.DeviceReporting, _clock.GetUtcNow()));
        Assert.Equal(AlarmStatus.Open, alarm.Status);
        Assert.Equal(AlarmClearResult.NoOpenAlarm, alarm.Clear(AlarmKind.LowBattery, "w1", AlarmRecovery.BatteryCharged, _clock.GetUtcNow()));
    }

    private AlarmLifecycle Raise(AlarmTrigger? trigger = null, AlarmEscalationPolicy? policy = null) =>
        AlarmLifecycle.Raise(Guid.NewGuid(), new AlarmElder(Guid.NewGuid(), "王秀英", "颐和路12号", "南京市/鼓楼区", "zh-CN", []),
            trigger ?? Trigger(AlarmKind.Sos, "e1"), _clock.GetUtcNow(), policy ?? _policy);

    private AlarmTrigger Trigger(AlarmKind kind, string eventId, string device = "w1", AlarmSeverity? severity = null) =>
        new(kind, severity ?? kind.DefaultSeverity(), new DeviceEvent(device, eventId, DeviceEventType.Sos, _clock.GetUtcNow(), new GeoPosition(32.06, 118.79, 10)), AlarmSource.Device);

    private DeviceEvent Event(string id, DeviceEventType type) =>
        new("w1", id, type, _clock.GetUtcNow(), new GeoPosition(32.06, 118.79, 10));
}
