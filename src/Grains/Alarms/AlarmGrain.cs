using System.Diagnostics;
using System.Text.Json;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Contracts.Seats;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Notifications;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// One alarm. Every change is stored (alarm row, timeline, device events, notifications) in one
/// transaction before anyone is told about it; if the store fails, the call fails and the in-memory
/// state is reloaded from the records on the next call.
/// </summary>
internal sealed partial class AlarmGrain(
    IDbContextFactory<ElderIoTDbContext> contexts,
    AlarmEscalationPolicy policy,
    AlarmMessageComposer messages,
    AlarmMetrics metrics,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<AlarmGrain> logger) : Grain, IAlarmGrain
{
    private AlarmLifecycle? _alarm;
    private bool _loaded;
    private ElderRecord? _elder;
    private IGrainTimer? _escalationTimer;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => EnsureLoadedAsync(cancellationToken);

    public async Task<AlarmSnapshot> RaiseAsync(Guid elderId, string district, AlarmKind kind, DeviceEvent trigger)
    {
        await EnsureLoadedAsync();
        if (_alarm is not null)
        {
            return _alarm.ToSnapshot(); // A retried raise of the same alarm id.
        }

        // Wall time, not the domain clock (a test's clock may stand still): how long the seats waited.
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        _alarm = AlarmLifecycle.Raise(this.GetPrimaryKey(), elderId, district, kind, trigger, now, policy);
        // The first step (offer, first text) is stored in the same transaction as the alarm: one
        // commit fewer before the device's PUBACK, and the seats hear of it before the device does.
        PreparedSteps steps;
        try
        {
            steps = await PrepareDueStepsAsync(now);
        }
        catch
        {
            // Nothing is stored: forget the alarm, so that the device's retry raises it afresh
            // instead of finding one that only ever existed in memory.
            _alarm = null;
            _loaded = false;
            throw;
        }

        await StoreAsync(_alarm, steps.Notifications, isNew: true);
        metrics.Raised(_alarm.Record.Kind);
        LogRaised(_alarm.Record.Id, _alarm.Record.Kind, elderId, trigger.DeviceId);
        await CarryOutAsync(steps, started);
        return _alarm.ToSnapshot();
    }

    public async Task<bool> JoinAsync(AlarmKind kind, DeviceEvent deviceEvent)
    {
        var alarm = await RequireAlarmAsync();
        if (!alarm.Join(kind, deviceEvent, clock.GetUtcNow()))
        {
            return false;
        }

        await StoreAsync(alarm);
        metrics.Joined();
        await NotifySeatsAsync("joined");
        return true;
    }

    public async Task<bool> RecordCancelAsync(DeviceEvent deviceEvent)
    {
        var alarm = await RequireAlarmAsync();
        if (!alarm.RecordCancel(deviceEvent, clock.GetUtcNow()))
        {
            return false;
        }

        await StoreAsync(alarm);
        await NotifySeatsAsync("cancel_requested");
        return true;
    }

    public async Task<AlarmSnapshot> AcceptAsync(string seatId)
    {
        var alarm = await RequireAlarmAsync();
        var wasAccepted = alarm.Status == AlarmStatus.Accepted;
        var now = clock.GetUtcNow();
        alarm.Accept(seatId, now);
        if (!wasAccepted)
        {
            await StoreAsync(alarm);
            _escalationTimer?.Dispose();
            metrics.Accepted(now - alarm.Record.RaisedAt);
            LogAccepted(alarm.Record.Id, seatId);
            await NotifySeatsAsync("accepted", alsoSeat: seatId);
            await TellDevicesAsync(alarm, "alarm_accepted");
        }

        return alarm.ToSnapshot();
    }

    public async Task<AlarmSnapshot> ResolveAsync(string seatId, AlarmOutcome outcome, string? notes)
    {
        var alarm = await RequireAlarmAsync();
        alarm.Resolve(seatId, outcome, notes, clock.GetUtcNow());
        await StoreAsync(alarm);
        metrics.Resolved(alarm.Record.Outcome!);
        LogResolved(alarm.Record.Id, seatId, alarm.Record.Outcome!);
        await GrainFactory.GetGrain<IElderGrain>(alarm.Record.ElderId).AlarmResolvedAsync(alarm.Record.Id);
        await NotifySeatsAsync("resolved", alsoSeat: seatId);
        return alarm.ToSnapshot();
    }

    public async Task RecordNotificationOutcomeAsync(string recipient, string status, string? detail)
    {
        var alarm = await RequireAlarmAsync();
        alarm.AddTimeline(clock.GetUtcNow(), $"sms_{status}", AlarmLifecycle.System, detail is null ? recipient : $"{recipient}: {detail}", [recipient, .. detail is null ? Array.Empty<string>() : [detail]]);
        await StoreAsync(alarm);
        await NotifySeatsAsync($"sms_{status}");
    }

    public async Task RecordNoteAsync(string type, string detail)
    {
        var alarm = await RequireAlarmAsync();
        alarm.AddTimeline(clock.GetUtcNow(), type, AlarmLifecycle.System, detail);
        await StoreAsync(alarm);
        await NotifySeatsAsync(type);
    }

    public async Task AdvanceEscalationAsync()
    {
        await EnsureLoadedAsync();
        if (_alarm is null)
        {
            return;
        }

        var steps = await PrepareDueStepsAsync(clock.GetUtcNow());
        if (steps.Taken.Count > 0)
        {
            await StoreAsync(_alarm, steps.Notifications);
        }

        await CarryOutAsync(steps);
    }

    /// <summary>Takes the due steps in memory: who is offered the alarm, whom to text. Nothing is told yet.</summary>
    private async Task<PreparedSteps> PrepareDueStepsAsync(DateTimeOffset now)
    {
        var wasOverdue = _alarm!.Record.Overdue;
        var taken = _alarm.TakeDueSteps(now);
        var prepared = new PreparedSteps([.. taken], [], []);
        if (taken.Count == 0)
        {
            return prepared;
        }

        var elder = await LoadElderAsync();
        var texted = new HashSet<string>(StringComparer.Ordinal);
        var noSeatPresent = false;
        foreach (var (level, step) in taken)
        {
            switch (await OfferAsync(step.Seats, now))
            {
                case { Count: > 0 } seats:
                    prepared.Offers.Add((level, seats));
                    break;
                case { Count: 0 }:
                    noSeatPresent = true;
                    break;
            }

            prepared.Notifications.AddRange(QueueTexts(step.Contacts, level, elder, now, texted));
        }

        if (noSeatPresent)
        {
            // Nobody can take it, so the ladder's later steps happen now: supervisors see it overdue,
            // and every contact the later steps would text is texted (once, whatever the steps say).
            var rest = _alarm.EscalateToTop(now, "no seat is present to take the alarm: flagged for supervisors at once");
            metrics.EscalatedAtOnce("no_seat_present");
            foreach (var (level, step) in rest)
            {
                prepared.Taken.Add((level, step));
                prepared.Notifications.AddRange(QueueTexts(step.Contacts, level, elder, now, texted));
            }
        }

        prepared.BecameOverdue = !wasOverdue && _alarm.Record.Overdue;
        return prepared;
    }

    /// <summary>Once the steps are stored: tells the seats, starts the texts, and sets the timer for the next step.</summary>
    private async Task CarryOutAsync(PreparedSteps steps, long? raiseStarted = null)
    {
        foreach (var (level, _) in steps.Taken)
        {
            metrics.EscalationStep(level);
            LogStep(_alarm!.Record.Id, level);
        }

        foreach (var (level, seats) in steps.Offers)
        {
            await TellSeatsAsync(seats, level == 1 ? "offered" : "escalated");
        }

        if (raiseStarted is { } started && steps.Offers.Count > 0)
        {
            metrics.Offered(Stopwatch.GetElapsedTime(started));
        }

        if (steps.BecameOverdue)
        {
            await TellSeatsAsync((await GrainFactory.GetGrain<ISeatDirectoryGrain>(0).FindSeatsAsync(_alarm!.Record.District, SeatReach.All)).SeatIds, "overdue");
        }

        foreach (var notification in steps.Notifications)
        {
            await GrainFactory.GetGrain<INotificationGrain>(notification.Id).DeliverAsync();
        }

        ScheduleEscalation();
    }

    public async Task<AlarmSnapshot?> GetAsync()
    {
        await EnsureLoadedAsync();
        return _alarm?.ToSnapshot();
    }

    /// <summary>Offers the alarm to the seats that are there (null: the step offers nothing; empty: nobody is there).</summary>
    private async Task<IReadOnlyList<string>?> OfferAsync(SeatAudience audience, DateTimeOffset now)
    {
        if (audience == SeatAudience.None)
        {
            return null;
        }

        var reach = audience == SeatAudience.All ? SeatReach.All : SeatReach.District;
        var selection = await GrainFactory.GetGrain<ISeatDirectoryGrain>(0).FindSeatsAsync(_alarm!.Record.District, reach);
        var seats = selection.SeatIds;
        if (seats.Count == 0)
        {
            _alarm.AddTimeline(now, "no_seat_present", AlarmLifecycle.System, "no seat is on duty with a screen connected to offer the alarm to");
            LogNoSeatPresent(_alarm.Record.Id);
            return seats;
        }

        var (scope, scopeKey) = reach == SeatReach.All ? ("all present seats", "all")
            : selection.DistrictMatched ? ("district seats", "district") : ("no district seat present, all present seats", "all_no_district_seat");
        _alarm.AddTimeline(now, "offered", AlarmLifecycle.System, $"{scope}: {string.Join(", ", seats)}", [scopeKey, .. seats]);
        return seats;
    }

    private IEnumerable<NotificationRecord> QueueTexts(ContactAudience audience, int level, ElderRecord? elder, DateTimeOffset now, HashSet<string> textedThisTime)
    {
        if (audience == ContactAudience.None)
        {
            yield break;
        }

        var contacts = elder?.Contacts.OrderBy(c => c.Position).ToList() ?? [];
        if (contacts.Count == 0)
        {
            _alarm!.AddTimeline(now, "no_contact", AlarmLifecycle.System, "the elder has no contact to text");
            yield break;
        }

        var recipients = audience == ContactAudience.First ? contacts.Take(1) : contacts;
        // Several steps taken together (after a restart, or with no seat present) text each contact once.
        foreach (var contact in recipients.Where(c => textedThisTime.Add(c.Phone)))
        {
            var notification = new NotificationRecord
            {
                Id = Guid.NewGuid(),
                AlarmId = _alarm!.Record.Id,
                Step = level,
                Channel = "sms",
                RecipientName = contact.Name,
                Recipient = contact.Phone,
                Language = contact.Language,
                Body = messages.Compose(_alarm.ToSnapshot(), elder!, contact),
                Status = NotificationStatus.Pending.ToSnakeCase(),
                CreatedAt = now,
                UpdatedAt = now,
            };
            _alarm.AddTimeline(now, "sms_queued", AlarmLifecycle.System, $"{contact.Name} ({contact.Relation}) {contact.Phone}", contact.Name, contact.Relation, contact.Phone);
            yield return notification;
        }
    }

    /// <summary>Seats that should hear about a change: those the alarm is offered to at its level, and one more.</summary>
    private async Task NotifySeatsAsync(string change, string? alsoSeat = null)
    {
        var reach = policy.ReachOf(_alarm!.Record.EscalationLevel, _alarm.Record.Overdue);
        var seats = (await GrainFactory.GetGrain<ISeatDirectoryGrain>(0).FindSeatsAsync(_alarm.Record.District, reach)).SeatIds;
        await TellSeatsAsync(alsoSeat is null ? seats : [.. seats.Append(alsoSeat).Distinct()], change);
    }

    private async Task TellSeatsAsync(IEnumerable<string> seats, string change)
    {
        var elder = await LoadElderAsync();
        var notice = new SeatAlarmNotice(change, _alarm!.ToSnapshot(), elder?.Name ?? "", clock.GetUtcNow());
        foreach (var seat in seats)
        {
            try
            {
                await GrainFactory.GetGrain<ISeatGrain>(seat).NotifyAsync(notice);
            }
            catch (Exception exception)
            {
                // A seat's screen failing must not undo or block the alarm; the record is already stored.
                LogSeatNotifyFailed(exception, _alarm.Record.Id, seat);
            }
        }
    }

    /// <summary>
    /// Lets every device whose event is part of the alarm know (a handset can say "help is coming";
    /// the watch that joined the SOS stops asking too), through each device's outbox, so that an offline
    /// device is told when it is back. The seat calls the elder anyway.
    /// </summary>
    private async Task TellDevicesAsync(AlarmLifecycle alarm, string type)
    {
        var alarmId = alarm.Record.Id;
        List<string> devices;
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            devices = await db.DeviceEvents.AsNoTracking()
                .Where(e => e.AlarmId == alarmId)
                .Select(e => e.DeviceId).Distinct().ToListAsync();
        }
        catch (Exception exception)
        {
            LogDeviceCommandFailed(exception, alarmId, alarm.Record.DeviceId);
            devices = [];
        }

        var command = JsonSerializer.Serialize(new { type, alarmId, at = clock.GetUtcNow() });
        foreach (var deviceId in devices.Append(alarm.Record.DeviceId).Distinct(StringComparer.Ordinal))
        {
            // Not awaited: the device grain may be waiting on this alarm (an event joining it), and
            // waiting for it here would deadlock the two until the call times out.
            _ = GrainFactory.GetGrain<IDeviceGrain>(deviceId).SendCommandAsync(new DeviceCommand(type, command))
                .ContinueWith(
                    t => LogDeviceCommandFailed(t.Exception!.GetBaseException(), alarmId, deviceId),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private void ScheduleEscalation()
    {
        _escalationTimer?.Dispose();
        _escalationTimer = null;
        if (_alarm?.Record.NextStepDueAt is not { } due || _alarm.Status != AlarmStatus.Open)
        {
            return;
        }

        var delay = due - clock.GetUtcNow();
        _escalationTimer = this.RegisterGrainTimer(
            _ => AdvanceEscalationAsync(),
            new GrainTimerCreationOptions(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task StoreAsync(AlarmLifecycle alarm, IReadOnlyList<NotificationRecord>? notifications = null, bool isNew = false)
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
            // Memory may now be ahead of the records; the records win on the next call.
            _loaded = false;
            _alarm = null;
            throw;
        }
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken = default)
    {
        if (_loaded)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The key as a local: inside the lambda, `this` (the grain) becomes a constant of the query and EF compiles it anew for every grain (profiled: most of a cold activation's time).
        var id = this.GetPrimaryKey();
        var record = await db.Alarms.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        _alarm = record is null ? null : AlarmLifecycle.Load(record, policy);
        _loaded = true;
        ScheduleEscalation();
    }

    private async Task<AlarmLifecycle> RequireAlarmAsync()
    {
        await EnsureLoadedAsync();
        return _alarm ?? throw new AlarmNotFoundException(this.GetPrimaryKey());
    }

    private async Task<ElderRecord?> LoadElderAsync()
    {
        // Read fresh for each step so that a contact added while the alarm runs is texted.
        await using var db = await contexts.CreateDbContextAsync();
        _elder = await db.Elders.AsNoTracking().Include(e => e.Contacts)
            .SingleOrDefaultAsync(e => e.Id == _alarm!.Record.ElderId) ?? _elder;
        return _elder;
    }

    private sealed record PreparedSteps(
        List<(int Level, EscalationStep Step)> Taken,
        List<NotificationRecord> Notifications,
        List<(int Level, IReadOnlyList<string> Seats)> Offers)
    {
        /// <summary>These steps flagged the alarm overdue: every present seat (supervisors among them) is told.</summary>
        public bool BecameOverdue { get; set; }
    }

    [LoggerMessage(1001, LogLevel.Warning, "Alarm {AlarmId} raised: {Kind} of elder {ElderId} from device {DeviceId}")]
    private partial void LogRaised(Guid alarmId, string kind, Guid elderId, string deviceId);

    [LoggerMessage(1002, LogLevel.Information, "Alarm {AlarmId} escalation step {Level} taken")]
    private partial void LogStep(Guid alarmId, int level);

    [LoggerMessage(1003, LogLevel.Information, "Alarm {AlarmId} accepted by seat {SeatId}")]
    private partial void LogAccepted(Guid alarmId, string seatId);

    [LoggerMessage(1004, LogLevel.Information, "Alarm {AlarmId} resolved by seat {SeatId}: {Outcome}")]
    private partial void LogResolved(Guid alarmId, string seatId, string outcome);

    [LoggerMessage(1005, LogLevel.Error, "Alarm {AlarmId}: no seat is present to offer it to; flagged for supervisors and every contact texted at once")]
    private partial void LogNoSeatPresent(Guid alarmId);

    [LoggerMessage(1006, LogLevel.Warning, "Alarm {AlarmId}: telling seat {SeatId} failed")]
    private partial void LogSeatNotifyFailed(Exception exception, Guid alarmId, string seatId);

    [LoggerMessage(1008, LogLevel.Warning, "Alarm {AlarmId}: telling device {DeviceId} failed")]
    private partial void LogDeviceCommandFailed(Exception exception, Guid alarmId, string deviceId);

    [LoggerMessage(1007, LogLevel.Error, "Alarm {AlarmId}: storing the change failed")]
    private partial void LogStoreFailed(Exception exception, Guid alarmId);
}
