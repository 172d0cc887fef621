using ElderIoT.Contracts.Alarms;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// The alarm's persistence: one transaction holds the alarm row, its new timeline entries, the device
/// events of its causes, the notifications a step made and the call-back a resolution scheduled, so that nobody is told of what is not stored.
/// On the alarm lane (<see cref="AlarmRecords"/>): an alarm never waits behind telemetry for a connection.
/// </summary>
internal sealed partial class AlarmStore(AlarmRecords contexts, ILogger<AlarmStore> logger)
{
    public async Task<AlarmRecord?> LoadAsync(Guid alarmId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Alarms.AsNoTracking().SingleOrDefaultAsync(a => a.Id == alarmId, cancellationToken);
    }

    /// <summary>Stores the alarm's pending changes and forgets them; throws (logged) when the records refuse.</summary>
    public async Task SaveAsync(AlarmLifecycle alarm, IReadOnlyList<NotificationRecord>? notifications = null, bool isNew = false)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            if (isNew)
            {
                db.Alarms.Add(alarm.Record);
            }
            else
            {
                db.Alarms.Update(alarm.Record);
            }

            db.AlarmTimeline.AddRange(alarm.NewTimeline);
            db.DeviceEvents.AddRange(alarm.NewDeviceEvents);
            db.CallbackTasks.AddRange(alarm.NewCallbacks);
            if (notifications is not null)
            {
                db.Notifications.AddRange(notifications);
            }

            await db.SaveChangesAsync();
            alarm.TakeChanges();
        }
        catch (Exception exception)
        {
            LogStoreFailed(exception, alarm.Record.Id);
            throw;
        }
    }

    /// <summary>
    /// The elder as a later step needs them, read fresh so that a contact added while the alarm runs is
    /// texted. Never on the raise path: there the elder grain hands its snapshot over.
    /// </summary>
    public async Task<AlarmElder?> LoadElderAsync(Guid elderId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var elder = await db.Elders.AsNoTracking().Include(e => e.Contacts).SingleOrDefaultAsync(e => e.Id == elderId);
        return elder?.ToAlarmElder();
    }

    /// <summary>Every device a cause of the alarm came from (cancels and joins included).</summary>
    public async Task<IReadOnlyList<string>> DevicesOfAsync(Guid alarmId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.DeviceEvents.AsNoTracking().Where(e => e.AlarmId == alarmId).Select(e => e.DeviceId).Distinct().ToListAsync();
    }

    [LoggerMessage(1007, LogLevel.Error, "Alarm {AlarmId}: storing the change failed")]
    private partial void LogStoreFailed(Exception exception, Guid alarmId);
}
