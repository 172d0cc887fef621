using System.Globalization;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Grains.Rules;
using ElderIoT.Records;
using ElderIoT.Rules;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// Device supervision: low battery and not worn over the device's own readings, silence as told by the
/// outage detector (deadlines as data: the sweep finds devices past their interval in the records),
/// and the device coming back. Readings with vitals or steps go on to the elder's rules, one-way.
/// </summary>
internal sealed partial class DeviceGrain : IDeviceSupervisionGrain
{
    private BatteryRule? _battery;
    private NotWornRule? _notWorn;
    private bool? _worn;

    private BatteryRule Battery
    {
        get
        {
            if (_battery is null)
            {
                // A device already low before a restart is not raised a second time.
                _battery = new BatteryRule(rules.Options.BatteryLow);
                _battery.Restore(_device?.Battery is { } level && level <= _battery.Threshold);
            }

            return _battery;
        }
    }

    private NotWornRule NotWorn => _notWorn ??= new NotWornRule(rules.Day, rules.Options.NotWornAfter);

    public async Task<bool> GoneSilentAsync(bool raise)
    {
        if (_device is not { ResponderId: null, Disabled: false } device)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var every = ReportEvery(device);
        if (!SilenceRule.IsSilent(device.LastSeenAt, every, now))
        {
            return false;
        }

        if (!raise || device.SilentSince is not null)
        {
            return true;
        }

        var id = device.Id;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Devices.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.SilentSince, now));
        }

        device.SilentSince = now;
        var detail = string.Create(CultureInfo.InvariantCulture, $"no message since {device.LastSeenAt:yyyy-MM-dd HH:mm:ss}Z; expected every {every}");
        var values = new CentreAlarmDetail([]) { Lasted = device.LastSeenAt is { } seen ? now - seen : null, Limit = every };
        await ElderRules(device).RaiseRuleAlarmAsync(new RuleAlarm(AlarmKind.DeviceSilent, id, DeviceEventType.DeviceSilent, now, detail) { Values = values });
        return true;
    }

    public async Task<DeviceStatus?> SetReportEveryAsync(TimeSpan? reportEvery)
    {
        if (_device is not { } device)
        {
            return null;
        }

        int? seconds = reportEvery is { } e ? (int)Math.Ceiling(e.TotalSeconds) : null;
        var id = device.Id;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Devices.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReportEverySeconds, seconds));
        }

        device.ReportEverySeconds = seconds;
        return await GetStatusAsync();
    }

    /// <summary>Judges a batch of readings (before the telemetry path's first await) and forwards those the elder's rules read.</summary>
    private void Supervise(DeviceRecord device, IReadOnlyList<TelemetryReading> ordered)
    {
        if (device.ResponderId is not null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        List<TelemetryReading>? forElder = null;
        foreach (var reading in ordered)
        {
            if (reading.HeartRate is not null || reading.SpO2 is not null || reading.Systolic is not null || reading.Steps is not null)
            {
                (forElder ??= []).Add(reading);
            }

            var at = reading.Timestamp > now ? now : reading.Timestamp;
            if (reading.Worn is { } worn)
            {
                _worn = worn;
            }

            // Texts and values are made only for a change: this runs for every reading.
            if (Battery.Level(reading.Battery) is not RuleChange.None and var battery)
            {
                Decide(device, AlarmKind.LowBattery, battery, DeviceEventType.LowBattery, at,
                    string.Create(CultureInfo.InvariantCulture, $"battery {reading.Battery} % (low at {Battery.Threshold} % or less)"),
                    Battery.Detail(reading.Battery, at));
            }

            if (NotWorn.Worn(reading.Worn, at) is not RuleChange.None and var notWorn)
            {
                Decide(device, AlarmKind.NotWorn, notWorn, DeviceEventType.NotWorn, at,
                    reading.Worn == true ? "worn again" : string.Create(CultureInfo.InvariantCulture, $"not worn since {NotWorn.OffSince:yyyy-MM-dd HH:mm}Z (limit {NotWorn.Limit} of waking time)"),
                    NotWorn.Detail(at));
            }
        }

        if (forElder is not null)
        {
            ElderRules(device).ReportReadingsAsync(device.Id, forElder).Ignore();
        }
    }

    /// <summary>A device rule's change goes to the elder's seam; not awaited, so readings never wait for an alarm.</summary>
    private void Decide(DeviceRecord device, AlarmKind kind, RuleChange change, DeviceEventType type, DateTimeOffset at, string detail, CentreAlarmDetail values)
    {
        var elder = ElderRules(device);
        var task = change == RuleChange.Raised
            ? elder.RaiseRuleAlarmAsync(new RuleAlarm(kind, device.Id, type, at, detail) { Values = values })
            : elder.RecoverRuleAlarmAsync(new RuleAlarm(kind, device.Id, DeviceEventType.RuleRecovered, at, detail));
        task.ContinueWith(
            t => RuleLog.RaiseFailed(rules.Logger, t.Exception!.GetBaseException(), device.ElderId, kind),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>Called as the device speaks: when it was silent, it is back (recorded, its alarm recovered, the outage detector told).</summary>
    private void CheckBack(DeviceRecord device, DateTimeOffset? previouslySeen, DateTimeOffset now)
    {
        if (device.ResponderId is not null || previouslySeen is not { } seen
            || (device.SilentSince is null && !SilenceRule.IsSilent(seen, ReportEvery(device), now)))
        {
            return;
        }

        RuleLog.DeviceBack(rules.Logger, device.Id, now - seen);
        if (rules.Options.SupervisionEnabled)
        {
            GrainFactory.GetGrain<IOutageGrain>(0).DeviceBackAsync(device.Id).Ignore();
        }

        if (device.SilentSince is not null)
        {
            device.SilentSince = null;
            _ = ClearSilenceAsync(device, seen, now);
        }
    }

    private async Task ClearSilenceAsync(DeviceRecord device, DateTimeOffset lastSeen, DateTimeOffset now)
    {
        try
        {
            var id = device.Id;
            await using (var db = await contexts.CreateDbContextAsync())
            {
                await db.Devices.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.SilentSince, (DateTimeOffset?)null));
            }

            await ElderRules(device).RecoverRuleAlarmAsync(new RuleAlarm(AlarmKind.DeviceSilent, id, DeviceEventType.RuleRecovered, now,
                string.Create(CultureInfo.InvariantCulture, $"device back after {(now - lastSeen).TotalMinutes:0} min silent")));
        }
        catch (Exception exception)
        {
            RuleLog.RecoverFailed(rules.Logger, exception, device.ElderId, AlarmKind.DeviceSilent);
        }
    }

    private TimeSpan ReportEvery(DeviceRecord device) => device.ReportEverySeconds is { } seconds
        ? TimeSpan.FromSeconds(seconds)
        : rules.Options.IntervalFor(EnumNames.ParseSnakeCase<DeviceKind>(device.Kind));

    private IElderRulesGrain ElderRules(DeviceRecord device) => GrainFactory.GetGrain<IElderRulesGrain>(device.ElderId);
}
