using System.Globalization;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Grains.Rules;
using ElderIoT.Records;
using ElderIoT.Rules;
using ElderIoT.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Grains.Elders;

/// <summary>
/// The elder's detection rules: vitals and inactivity over the readings their devices forward, door
/// at night and the device's own low-battery event, and the one seam through which every rule raises
/// and recovers (<see cref="RaiseForRuleAsync"/>, <see cref="RecoverRuleAlarmAsync"/>). Detection is in
/// ElderIoT.Rules; this part does what follows from it. The settings are read once, not per reading.
/// </summary>
internal sealed partial class ElderGrain : IElderRulesGrain
{
    private VitalsRule? _vitals;
    private InactivityRule? _inactivity;
    private VitalThresholdsOverride? _ownThresholds;
    private string? _rulesCareLevel;
    private bool _rulesLoaded;

    // Readings that came while the elder's own settings were loading (or could not be loaded), newest
    // kept: the vitals rule judges runs of them, so they are judged once the settings are in.
    private const int MaxHeldReadings = 64;
    private readonly List<(string DeviceId, TelemetryReading Reading)> _heldReadings = [];
    private Task? _settingsLoad;
    private long? _settingsFailedAt;

    public async Task ReportReadingsAsync(string deviceId, IReadOnlyList<TelemetryReading> readings)
    {
        if (_elder is null)
        {
            return;
        }

        if (!_rulesLoaded)
        {
            HoldUntilSettingsLoaded(deviceId, readings);
            return;
        }

        // Readings held while the settings loaded are older than these: judged first, in the order they
        // came, since a run of readings is judged in time (a held reading judged after a newer one was lost).
        if (_heldReadings.Count > 0)
        {
            var held = _heldReadings.ToList();
            _heldReadings.Clear();
            foreach (var (heldDevice, reading) in held)
            {
                await JudgeReadingsAsync(heldDevice, [reading]);
            }
        }

        await JudgeReadingsAsync(deviceId, readings);
    }

    private async Task JudgeReadingsAsync(string deviceId, IReadOnlyList<TelemetryReading> readings)
    {
        var (vitals, inactivity) = await EnsureRulesAsync();
        var now = clock.GetUtcNow();
        foreach (var reading in readings)
        {
            foreach (var verdict in vitals.Evaluate(reading, deviceId, now))
            {
                var at = verdict.Readings[^1].At;
                if (verdict.Change == RuleChange.Raised)
                {
                    if (!await TryRaiseAsync(new RuleAlarm(AlarmKind.Vitals, deviceId, DeviceEventType.VitalsOutOfRange, at, verdict.Describe()) { Condition = verdict.Sign.ToSnakeCase(), Values = verdict.Detail() }))
                    {
                        // Not raised (records down): the runs start again, so the next readings raise it.
                        _vitals = new VitalsRule(vitals.Thresholds);
                    }
                }
                else
                {
                    await RecoverRuleAlarmAsync(new RuleAlarm(AlarmKind.Vitals, deviceId, DeviceEventType.RuleRecovered, at, verdict.Describe()) { Condition = verdict.Sign.ToSnakeCase() });
                }
            }

            if (reading.Steps is not null)
            {
                var at = reading.Timestamp > now ? now : reading.Timestamp;
                await ActOnInactivityAsync(inactivity, inactivity.Steps(reading.Steps, reading.Worn, at), deviceId, at);
            }
        }

    }

    public async Task<Guid> RaiseRuleAlarmAsync(RuleAlarm alarm)
    {
        var elder = RequireElder();
        // The rule's values go with the alarm (kept on it for the seat), its text to the timeline.
        var centre = new CentreAlarm(alarm.Kind, alarm.DeviceId, alarm.At) { EventType = alarm.EventType, EventId = RuleEvent(alarm).EventId, Detail = alarm.Values };
        return await RaiseForRuleAsync(elder, alarm.Kind, CentreTrigger(centre), alarm.DeviceId, alarm.Detail);
    }

    public async Task RecoverRuleAlarmAsync(RuleAlarm recovery)
    {
        var elder = RequireElder();
        rules.Metrics.Decided(recovery.Kind.ToSnakeCase(), "recovered");
        RuleLog.Recovered(rules.Logger, elder.Id, recovery.Kind, recovery.DeviceId, recovery.Detail);
        try
        {
            await location.History.EnqueueAsync(new EventEntry(elder.Id, recovery.DeviceId, RuleEvent(recovery with { EventType = DeviceEventType.RuleRecovered }), _openAlarmId));
            // The recovery's detail on the open alarm's timeline, then the alarm engine's clear: it closes
            // the alarm when nobody took it and nothing else is in the incident (self_cleared).
            if (_openAlarmId is { } open)
            {
                await Alarm(open).RecordNoteAsync(AlarmChange.RuleRecovered, $"{recovery.Kind.ToSnakeCase()}: {recovery.Detail}");
                await ClearCentreAlarmAsync(recovery.Kind, recovery.DeviceId, RecoveryOf(recovery.Kind));
            }
        }
        catch (Exception exception)
        {
            RuleLog.RecoverFailed(rules.Logger, exception, elder.Id, recovery.Kind);
        }
    }

    public async Task<VitalThresholds> GetVitalThresholdsAsync()
    {
        RequireElder();
        return (await EnsureRulesAsync()).Vitals.Thresholds;
    }

    public async Task<VitalThresholds> SetVitalThresholdsAsync(VitalThresholdsOverride thresholds)
    {
        var elder = RequireElder();
        await EnsureRulesAsync();
        var defaults = VitalThresholds.ForCareLevel(CareLevelOf(elder));
        if (thresholds.Problems(defaults) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems.Select(p => $"{p.Field} must be {p.Min}..{p.Max}")), nameof(thresholds));
        }

        await using var db = await contexts.CreateDbContextAsync();
        var id = elder.Id;
        var record = await db.ElderRuleSettings.SingleOrDefaultAsync(s => s.ElderId == id);
        if (record is null)
        {
            record = new ElderRuleSettingsRecord { ElderId = id };
            db.ElderRuleSettings.Add(record);
        }

        (record.HeartRateHigh, record.HeartRateLow, record.SpO2Low, record.SystolicHigh, record.SystolicLow, record.SustainReadings, record.SustainSeconds) =
            (thresholds.HeartRateHigh, thresholds.HeartRateLow, thresholds.SpO2Low, thresholds.SystolicHigh, thresholds.SystolicLow, thresholds.SustainReadings, thresholds.SustainSeconds);
        record.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync();
        _ownThresholds = thresholds.IsEmpty ? null : thresholds;
        _vitals = new VitalsRule(defaults.With(_ownThresholds));
        return _vitals.Thresholds;
    }

    /// <summary>Door and the device's own low-battery event: the alarm id when one was raised or joined, else null (recorded only).</summary>
    private async Task<Guid?> HandleRuleEventAsync(ElderRecord elder, DeviceEvent deviceEvent)
    {
        switch (deviceEvent.Type)
        {
            case DeviceEventType.Door:
            {
                var (_, inactivity) = await EnsureRulesAsync();
                await ActOnInactivityAsync(inactivity, inactivity.Motion(deviceEvent.OccurredAt), deviceEvent.DeviceId, deviceEvent.OccurredAt);
                var night = rules.Options.NightWindow;
                if (!DoorRule.RaisesAlarm(deviceEvent.OccurredAt, night, rules.Zone))
                {
                    rules.Metrics.Decided("door", "recorded_only");
                    RuleLog.DoorByDay(rules.Logger, elder.Id, deviceEvent.DeviceId);
                    return null;
                }

                var local = TimeZoneInfo.ConvertTime(deviceEvent.OccurredAt, rules.Zone);
                return await RaiseForRuleAsync(elder, AlarmKind.Door, DeviceTrigger(AlarmKind.Door, deviceEvent), deviceEvent.DeviceId,
                    string.Create(CultureInfo.InvariantCulture, $"door {deviceEvent.DeviceId} opened at {local:HH:mm} local time, within night hours {night}"));
            }

            case DeviceEventType.LowBattery:
                return await RaiseForRuleAsync(elder, AlarmKind.LowBattery,
                    DeviceTrigger(AlarmKind.LowBattery, deviceEvent) with { Detail = new CentreAlarmDetail([]) { Threshold = rules.Options.BatteryLow } },
                    deviceEvent.DeviceId, $"device {deviceEvent.DeviceId} reported its battery low");
            default:
                return null;
        }
    }

    private async Task ActOnInactivityAsync(InactivityRule inactivity, RuleChange change, string deviceId, DateTimeOffset at)
    {
        if (change == RuleChange.Raised)
        {
            await TryRaiseAsync(new RuleAlarm(AlarmKind.Inactivity, deviceId, DeviceEventType.Inactive, at, inactivity.Describe(at)) { Values = inactivity.Detail(at) });
        }
        else if (change == RuleChange.Recovered)
        {
            await RecoverRuleAlarmAsync(new RuleAlarm(AlarmKind.Inactivity, deviceId, DeviceEventType.RuleRecovered, at, "steps or motion again"));
        }
    }

    private async Task<bool> TryRaiseAsync(RuleAlarm alarm)
    {
        try
        {
            await RaiseRuleAlarmAsync(alarm);
            return true;
        }
        catch (Exception exception)
        {
            RuleLog.RaiseFailed(rules.Logger, exception, this.GetPrimaryKey(), alarm.Kind);
            return false;
        }
    }

    /// <summary>
    /// THE seam through which every detection rule raises: the alarm engine's incident path
    /// (<see cref="RaiseOrJoinAsync"/>, as <see cref="RaiseCentreAlarmAsync"/> takes it, with the kind's
    /// severity), then the rule's detail as a timeline note.
    /// </summary>
    private async Task<Guid> RaiseForRuleAsync(ElderRecord elder, AlarmKind kind, AlarmTrigger trigger, string deviceId, string detail)
    {
        var alarmId = await RaiseOrJoinAsync(elder, trigger);
        rules.Metrics.Decided(kind.ToSnakeCase(), "raised");
        RuleLog.Raised(rules.Logger, elder.Id, kind, deviceId, detail);
        try
        {
            await Alarm(alarmId).RecordNoteAsync(DetailOf(kind), detail);
        }
        catch (Exception exception)
        {
            // The alarm is raised; only its detail is missing. Raising again would be a duplicate.
            LogLocateNoteFailed(rules.Logger, exception, alarmId);
        }

        return alarmId;
    }

    /// <summary>A device's own event (door, low_battery) as the cause of a rule's alarm.</summary>
    private static AlarmTrigger DeviceTrigger(AlarmKind kind, DeviceEvent deviceEvent) => new(kind, kind.DefaultSeverity(), deviceEvent, AlarmSource.Device);

    private static AlarmChange DetailOf(AlarmKind kind) => kind switch
    {
        AlarmKind.Vitals => AlarmChange.VitalsDetail,
        AlarmKind.Inactivity => AlarmChange.InactivityDetail,
        AlarmKind.DeviceSilent => AlarmChange.DeviceSilentDetail,
        AlarmKind.LowBattery => AlarmChange.LowBatteryDetail,
        AlarmKind.NotWorn => AlarmChange.NotWornDetail,
        _ => AlarmChange.DoorDetail,
    };

    private static AlarmRecovery RecoveryOf(AlarmKind kind) => kind switch
    {
        AlarmKind.Vitals => AlarmRecovery.VitalsNormal,
        AlarmKind.DeviceSilent => AlarmRecovery.DeviceReporting,
        AlarmKind.LowBattery => AlarmRecovery.BatteryCharged,
        AlarmKind.NotWorn => AlarmRecovery.Worn,
        AlarmKind.Inactivity => AlarmRecovery.Active,
        _ => AlarmRecovery.Recovered,
    };

    private static DeviceEvent RuleEvent(RuleAlarm alarm) =>
        new(alarm.DeviceId, $"{alarm.EventType.ToSnakeCase()}{(alarm.Condition.Length > 0 ? "-" + alarm.Condition : "")}-{alarm.At.ToUnixTimeMilliseconds()}", alarm.EventType, alarm.At, null);

    /// <summary>
    /// The telemetry path's first readings for this activation: the settings are loaded from the main
    /// pool behind them, not awaited in this turn. Awaited here, a main pool that a connect storm
    /// exhausted held the elder grain up to the pool's timeout per batch, and an SOS for this elder
    /// queued behind it (the 100 000-device benchmark: thousands of these, SOS → seat in minutes).
    /// A failed load is counted and logged once a minute for the node, never thrown at the device's
    /// telemetry; the next reading after <see cref="RuleSettingsLoadFailures.RetryAfter"/> tries again.
    /// </summary>
    private void HoldUntilSettingsLoaded(string deviceId, IReadOnlyList<TelemetryReading> readings)
    {
        foreach (var reading in readings)
        {
            _heldReadings.Add((deviceId, reading));
        }

        if (_heldReadings.Count > MaxHeldReadings)
        {
            _heldReadings.RemoveRange(0, _heldReadings.Count - MaxHeldReadings);
        }

        if (_settingsLoad is not null || (_settingsFailedAt is { } failed && clock.GetElapsedTime(failed) < RuleSettingsLoadFailures.RetryAfter))
        {
            return;
        }

        // Not awaited: its continuations run on this grain's scheduler between turns, so the fields it
        // sets are never touched by two threads; the held readings come back as a call of their own.
        _settingsLoad = LoadSettingsBehindAsync();
    }

    private async Task LoadSettingsBehindAsync()
    {
        try
        {
            var own = await LoadOwnSettingsAsync();
            ApplyOwnSettings(own);
            _settingsFailedAt = null;
            if (_heldReadings.Count > 0)
            {
                // A call of its own judges the held readings (ReportReadingsAsync takes them first), unless a
                // newer reading's call gets there before it and takes them first itself.
                GrainFactory.GetGrain<IElderRulesGrain>(this.GetPrimaryKey()).ReportReadingsAsync(_heldReadings[0].DeviceId, []).Ignore();
            }
        }
        catch (Exception exception)
        {
            _settingsFailedAt = clock.GetTimestamp();
            rules.SettingsLoadFailures.Failed(exception);
        }
        finally
        {
            _settingsLoad = null;
        }
    }

    /// <summary>The elder's own rule settings, from the main pool (bulk work, not the alarm lane).</summary>
    private async Task<ElderRuleSettingsRecord?> LoadOwnSettingsAsync()
    {
        var id = RequireElder().Id;
        await using var db = await contexts.CreateDbContextAsync();
        return await db.ElderRuleSettings.AsNoTracking().SingleOrDefaultAsync(s => s.ElderId == id);
    }

    /// <summary>Takes the loaded settings, once: a second load finishing later (the API's, the telemetry's) changes nothing.</summary>
    private void ApplyOwnSettings(ElderRuleSettingsRecord? own)
    {
        if (_rulesLoaded)
        {
            return;
        }

        _ownThresholds = own is null ? null : new VitalThresholdsOverride(own.HeartRateHigh, own.HeartRateLow, own.SpO2Low, own.SystolicHigh, own.SystolicLow, own.SustainReadings, own.SustainSeconds);
        _inactivity = new InactivityRule(rules.Day, rules.Options.InactiveAfter);
        _rulesLoaded = true;
    }

    /// <summary>Reads the elder's own settings once (not per reading); rebuilds the vitals rule when the care level changed.</summary>
    private async Task<(VitalsRule Vitals, InactivityRule Inactivity)> EnsureRulesAsync()
    {
        var elder = RequireElder();
        if (!_rulesLoaded)
        {
            ApplyOwnSettings(await LoadOwnSettingsAsync());
        }

        if (_vitals is null || _rulesCareLevel != elder.CareLevel)
        {
            _rulesCareLevel = elder.CareLevel;
            _vitals = new VitalsRule(VitalThresholds.ForCareLevel(CareLevelOf(elder)).With(_ownThresholds));
        }

        return (_vitals, _inactivity!);
    }

    private static CareLevel? CareLevelOf(ElderRecord elder) =>
        elder.CareLevel is { } level && EnumNames.TryParseSnakeCase<CareLevel>(level, out var parsed) ? parsed : null;
}
