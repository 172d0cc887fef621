using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Contracts;
using ElderIoT.Grains.Geofences;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Rules;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Grains.Elders;

/// <summary>
/// One elder: the record, and which incident (if any) is open for them. Every cause (a device's
/// event, a centre rule, a zone crossing) goes to the open incident first; the incident says whether
/// it joins (close in time) or a new one must be raised.
/// </summary>
internal sealed partial class ElderGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    AlarmRecords alarmRecords,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ElderLocationServices location,
    RuleServices rules) : Grain, IElderGrain, IElderLocationGrain
{
    private static readonly string Resolved = AlarmStatus.Resolved.ToSnakeCase();

    private ElderRecord? _elder;
    private Guid? _openAlarmId;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var id = this.GetPrimaryKey();
        // On the alarm lane: an SOS for an elder not yet active waits for exactly this read. One small
        // read per activation (the grain is kept active while a device is online), not per reading;
        // the rules' own settings load on the main pool, behind the telemetry path (ElderGrain.Rules.cs).
        await using var db = await alarmRecords.CreateDbContextAsync(cancellationToken);
        _elder = await db.Elders.AsNoTracking().Include(e => e.Contacts).SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        _openAlarmId = await db.Alarms.AsNoTracking()
            .Where(a => a.ElderId == id && a.Status != Resolved)
            .OrderByDescending(a => a.RaisedAt)
            .Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task CreateAsync(ElderProfile profile)
    {
        if (_elder is not null)
        {
            throw new InvalidOperationException($"Elder '{_elder.Id}' already exists.");
        }

        var now = clock.GetUtcNow();
        var record = new ElderRecord { Id = this.GetPrimaryKey(), Name = "", Address = "", District = "", Language = "", CreatedAt = now, UpdatedAt = now };
        record.Apply(profile);
        await using var db = await contexts.CreateDbContextAsync();
        db.Elders.Add(record);
        await db.SaveChangesAsync();
        _elder = record;
    }

    public async Task UpdateAsync(ElderProfile profile)
    {
        var elder = _elder ?? throw new ElderNotFoundException(this.GetPrimaryKey());
        await using var db = await contexts.CreateDbContextAsync();
        var record = await db.Elders.Include(e => e.Contacts).SingleAsync(e => e.Id == elder.Id);
        record.Apply(profile);
        record.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync();
        _elder = record;
    }

    public Task<ElderProfile?> GetProfileAsync() => Task.FromResult(_elder?.ToProfile());

    public Task KeepReadyAsync() => Task.CompletedTask;

    public async Task<EventReceipt> HandleDeviceEventAsync(DeviceEvent deviceEvent)
    {
        var elder = _elder ?? throw new ElderNotFoundException(this.GetPrimaryKey());
        if (deviceEvent.Type == DeviceEventType.SosCancel)
        {
            // The incident decides what the cancel covers; a cancel it ignores for scope is still on its timeline.
            return _openAlarmId is { } open && await Alarm(open).RecordCancelAsync(deviceEvent) != CancelScope.NoOpenAlarm
                ? new EventReceipt(open, Duplicate: false)
                : new EventReceipt(null, Duplicate: false);
        }

        if (deviceEvent.Type.AlarmKindOf() is not { } kind)
        {
            // Door at night and the device's own low battery are judged by the detection rules.
            return new EventReceipt(await HandleRuleEventAsync(elder, deviceEvent), Duplicate: false);
        }

        var trigger = new AlarmTrigger(kind, kind.DefaultSeverity(), deviceEvent, AlarmSource.Device);
        return new EventReceipt(await RaiseOrJoinAsync(elder, trigger), Duplicate: false);
    }

    public async Task<Guid> RaiseCentreAlarmAsync(CentreAlarm alarm)
    {
        var elder = _elder ?? throw new ElderNotFoundException(this.GetPrimaryKey());
        return await RaiseOrJoinAsync(elder, CentreTrigger(alarm));
    }

    public async Task<AlarmClearResult> ClearCentreAlarmAsync(AlarmKind kind, string deviceId, AlarmRecovery reason)
    {
        if (_openAlarmId is not { } open)
        {
            return AlarmClearResult.NoOpenAlarm;
        }

        var result = await Alarm(open).ClearAsync(kind, deviceId, reason);
        if (result == AlarmClearResult.SelfCleared)
        {
            _openAlarmId = null;
        }

        return result;
    }

    public async Task AlarmResolvedAsync(Guid alarmId)
    {
        if (_openAlarmId == alarmId)
        {
            _openAlarmId = null;
        }

        await StopTrackingAsync(alarmId);
    }

    /// <summary>
    /// Joins the elder's open incident, or raises a new one (none open, resolved, or its last cause
    /// longer ago than the incident window): for device events, centre rules and zone crossings alike.
    /// The elder as this grain holds them goes with it, so the alarm reads nothing before the PUBACK.
    /// </summary>
    private async Task<Guid> RaiseOrJoinAsync(ElderRecord elder, AlarmTrigger trigger)
    {
        var snapshot = elder.ToAlarmElder();
        if (_openAlarmId is { } openAlarm && await Alarm(openAlarm).JoinAsync(snapshot, trigger) is JoinResult.Joined or JoinResult.Upgraded)
        {
            return openAlarm;
        }

        var alarmId = Guid.NewGuid();
        await Alarm(alarmId).RaiseAsync(snapshot, trigger);
        _openAlarmId = alarmId;
        return alarmId;
    }

    /// <summary>A centre rule's alarm as a cause: its observation becomes the centre-made event in the elder's history.</summary>
    private static AlarmTrigger CentreTrigger(CentreAlarm alarm) => new(
        alarm.Kind,
        alarm.EffectiveSeverity,
        new DeviceEvent(
            alarm.DeviceId,
            alarm.EventId ?? $"{alarm.Kind.ToSnakeCase()}-{alarm.ObservedAt.ToUnixTimeMilliseconds()}",
            alarm.EventType,
            alarm.ObservedAt,
            alarm.Position),
        AlarmSource.Centre)
    {
        Detail = alarm.Detail,
    };

    private IAlarmGrain Alarm(Guid id) => GrainFactory.GetGrain<IAlarmGrain>(id);
}
