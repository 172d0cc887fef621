using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Contracts;
using ElderIoT.Grains.Geofences;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Grains.Elders;

/// <summary>One elder: the record, and which alarm (if any) is open for them.</summary>
internal sealed partial class ElderGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ElderLocationServices location) : Grain, IElderGrain, IElderLocationGrain
{
    private static readonly string Resolved = AlarmStatus.Resolved.ToSnakeCase();

    private ElderRecord? _elder;
    private Guid? _openAlarmId;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var id = this.GetPrimaryKey();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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
            return _openAlarmId is { } open && await Alarm(open).RecordCancelAsync(deviceEvent)
                ? new EventReceipt(open, Duplicate: false)
                : new EventReceipt(null, Duplicate: false);
        }

        if (deviceEvent.Type.AlarmKindOf() is not { } kind)
        {
            return new EventReceipt(null, Duplicate: false);
        }

        return new EventReceipt(await RaiseOrJoinAsync(elder, kind, deviceEvent), Duplicate: false);
    }

    public async Task AlarmResolvedAsync(Guid alarmId)
    {
        if (_openAlarmId == alarmId)
        {
            _openAlarmId = null;
        }

        await StopTrackingAsync(alarmId);
    }

    /// <summary>Joins the elder's open alarm, or raises a new one: for device events and zone crossings alike.</summary>
    private async Task<Guid> RaiseOrJoinAsync(ElderRecord elder, AlarmKind kind, DeviceEvent deviceEvent)
    {
        if (_openAlarmId is { } openAlarm && await Alarm(openAlarm).JoinAsync(kind, deviceEvent))
        {
            return openAlarm;
        }

        var alarmId = Guid.NewGuid();
        await Alarm(alarmId).RaiseAsync(elder.Id, elder.District, kind, deviceEvent);
        _openAlarmId = alarmId;
        return alarmId;
    }

    private IAlarmGrain Alarm(Guid id) => GrainFactory.GetGrain<IAlarmGrain>(id);
}
