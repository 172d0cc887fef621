using System.Diagnostics;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Grains.Callbacks;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Reports;
using ElderIoT.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// One incident, orchestrated: the state machine (<see cref="AlarmLifecycle"/>) decides, the store
/// (<see cref="AlarmStore"/>) records every change in one transaction before anyone is told, then seats
/// (<see cref="AlarmSeatDispatch"/>), texts (<see cref="AlarmNotifications"/>) and devices
/// (<see cref="AlarmDeviceCommands"/>) hear of it, and the ladder's next step is timed
/// (<see cref="AlarmEscalationPolicy"/>). If the store fails, the call fails and the in-memory state
/// is reloaded from the records on the next call.
/// </summary>
internal sealed partial class AlarmGrain(
    AlarmStore store,
    AlarmEscalationPolicy policy,
    AlarmSeatDispatch seats,
    AlarmNotifications notifications,
    AlarmDeviceCommands devices,
    AlarmMetrics metrics,
    CallbackSchedule callbacks,
    ServiceLevelFeed serviceLevel,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<AlarmGrain> logger) : Grain, IAlarmGrain
{
    private AlarmLifecycle? _alarm;
    private bool _loaded;

    // The elder as last handed over by the elder grain (raise, join), or read for a later step.
    private AlarmElder? _elder;
    private IGrainTimer? _escalationTimer;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => EnsureLoadedAsync(cancellationToken);

    public async Task<AlarmSnapshot> RaiseAsync(AlarmElder elder, AlarmTrigger trigger)
    {
        await EnsureLoadedAsync();
        if (_alarm is not null)
        {
            return _alarm.ToSnapshot(); // A retried raise of the same alarm id.
        }

        _elder = elder;
        // Wall time, not the domain clock (a test's clock may stand still): how long the seats waited.
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        _alarm = AlarmLifecycle.Raise(this.GetPrimaryKey(), elder, trigger, now, policy);
        // The first step (offer, first text) is stored in the same transaction as the alarm: one
        // commit fewer before the device's PUBACK, and the seats hear of it before the device does.
        var steps = await PrepareOrForgetAsync(now, elder);
        await SaveAsync(steps.Notifications, isNew: true);
        // The live figures hear of every stored change at once, one-way: nothing waits for them.
        serviceLevel.Changed(_alarm.Record);
        metrics.Raised(_alarm.Record.Kind);
        LogRaised(_alarm.Record.Id, _alarm.Record.Kind, elder.Id, trigger.DeviceId, _alarm.Record.Severity);
        await CarryOutAsync(steps, started);
        return _alarm.ToSnapshot();
    }

    public async Task<JoinResult> JoinAsync(AlarmElder elder, AlarmTrigger trigger)
    {
        var alarm = await RequireAlarmAsync();
        _elder = elder;
        var now = clock.GetUtcNow();
        var result = alarm.Join(trigger, now);
        if (result is JoinResult.Closed or JoinResult.OutsideWindow)
        {
            return result;
        }

        // A rise in severity starts the new ladder now: its first step is stored with the join.
        var steps = result == JoinResult.Upgraded ? await PrepareOrForgetAsync(now, elder) : PreparedSteps.None;
        await SaveAsync(steps.Notifications);
        if (result == JoinResult.Upgraded)
        {
            serviceLevel.Changed(alarm.Record); // its kind is now the more severe cause's
        }

        metrics.Joined(result == JoinResult.Upgraded ? "upgraded" : "joined");
        await seats.NotifyAsync(alarm, elder.Name, result == JoinResult.Upgraded ? AlarmChange.SeverityRaised : AlarmChange.Joined);
        await CarryOutAsync(steps);
        return result;
    }

    public async Task<CancelScope> RecordCancelAsync(DeviceEvent deviceEvent)
    {
        var alarm = await RequireAlarmAsync();
        var scope = alarm.RecordCancel(deviceEvent, clock.GetUtcNow());
        if (scope == CancelScope.NoOpenAlarm)
        {
            return scope;
        }

        await SaveAsync();
        await NotifySeatsAsync(scope == CancelScope.Ignored ? AlarmChange.CancelIgnored : AlarmChange.CancelRequested);
        return scope;
    }

    public async Task<AlarmClearResult> ClearAsync(AlarmKind kind, string deviceId, AlarmRecovery reason)
    {
        var alarm = await RequireAlarmAsync();
        var result = alarm.Clear(kind, deviceId, reason, clock.GetUtcNow());
        if (result == AlarmClearResult.NoOpenAlarm)
        {
            return result;
        }

        await SaveAsync();
        if (result == AlarmClearResult.SelfCleared)
        {
            serviceLevel.Changed(alarm.Record);
            _escalationTimer?.Dispose();
            metrics.Resolved(alarm.Record.Outcome!);
            LogResolved(alarm.Record.Id, AlarmLifecycle.System, alarm.Record.Outcome!);
            await GrainFactory.GetGrain<IElderGrain>(alarm.Record.ElderId).AlarmResolvedAsync(alarm.Record.Id);
            await NotifySeatsAsync(AlarmChange.Resolved);
        }
        else
        {
            await NotifySeatsAsync(AlarmChange.Recovered);
        }

        return result;
    }

    public async Task<AlarmSnapshot> AcceptAsync(string seatId)
    {
        var alarm = await RequireAlarmAsync();
        var wasAccepted = alarm.Status == AlarmStatus.Accepted;
        var now = clock.GetUtcNow();
        alarm.Accept(seatId, now);
        if (!wasAccepted)
        {
            await SaveAsync();
            serviceLevel.Changed(alarm.Record);
            _escalationTimer?.Dispose();
            metrics.Accepted(now - alarm.Record.RaisedAt);
            LogAccepted(alarm.Record.Id, seatId);
            await NotifySeatsAsync(AlarmChange.Accepted, alsoSeat: seatId);
            await devices.TellAsync(alarm, "alarm_accepted");
        }

        return alarm.ToSnapshot();
    }

    public async Task<AlarmSnapshot> ResolveAsync(string seatId, AlarmOutcome outcome, string? notes)
    {
        var alarm = await RequireAlarmAsync();
        var now = clock.GetUtcNow();
        alarm.Resolve(seatId, outcome, notes, now, callbacks.For(alarm.Record, outcome, now));
        await SaveAsync();
        serviceLevel.Changed(alarm.Record);
        metrics.Resolved(alarm.Record.Outcome!);
        LogResolved(alarm.Record.Id, seatId, alarm.Record.Outcome!);
        await GrainFactory.GetGrain<IElderGrain>(alarm.Record.ElderId).AlarmResolvedAsync(alarm.Record.Id);
        await NotifySeatsAsync(AlarmChange.Resolved, alsoSeat: seatId);
        return alarm.ToSnapshot();
    }

    public async Task RecordNotificationOutcomeAsync(string recipient, NotificationStatus status, string? detail)
    {
        var alarm = await RequireAlarmAsync();
        var change = status switch
        {
            NotificationStatus.Sent => AlarmChange.SmsSent,
            NotificationStatus.Delivered => AlarmChange.SmsDelivered,
            NotificationStatus.NotSent => AlarmChange.SmsNotSent,
            _ => AlarmChange.SmsFailed,
        };
        alarm.AddTimeline(clock.GetUtcNow(), change, AlarmLifecycle.System, detail is null ? recipient : $"{recipient}: {detail}", [recipient, .. detail is null ? Array.Empty<string>() : [detail]]);
        await SaveAsync();
        await NotifySeatsAsync(change);
    }

    public async Task RecordCallOutcomeAsync(string recipient, CallOutcome outcome, string? detail)
    {
        var alarm = await RequireAlarmAsync();
        var change = outcome switch
        {
            CallOutcome.Placed => AlarmChange.CallPlaced,
            CallOutcome.NotPlaced => AlarmChange.CallNotPlaced,
            CallOutcome.Busy => AlarmChange.CallBusy,
            CallOutcome.NoAnswer => AlarmChange.CallNoAnswer,
            CallOutcome.AnsweredWithoutConfirming => AlarmChange.CallAnsweredWithoutConfirming,
            CallOutcome.Canceled => AlarmChange.CallCanceled,
            CallOutcome.NoCallback => AlarmChange.CallNoCallback,
            _ => AlarmChange.CallFailed,
        };
        alarm.AddTimeline(clock.GetUtcNow(), change, AlarmLifecycle.System, detail is null ? recipient : $"{recipient}: {detail}", [recipient, .. detail is null ? Array.Empty<string>() : [detail]]);
        await SaveAsync();
        await NotifySeatsAsync(change);
    }

    public async Task RecordFamilyResponseAsync(FamilyResponse response)
    {
        var alarm = await RequireAlarmAsync();
        var change = response.Kind == FamilyResponseKind.Going ? AlarmChange.FamilyGoing : AlarmChange.FamilyMessage;
        var who = $"{response.ContactName} {response.Phone}";
        var detail = response.Text is null ? who : $"{who}: {response.Text}";
        alarm.AddTimeline(clock.GetUtcNow(), change, AlarmLifecycle.System, detail, response.ContactName, response.Phone, response.Channel.ToSnakeCase(), response.Text ?? "");
        await SaveAsync();
        LogFamilyResponse(alarm.Record.Id, change, response.Channel);
        // The seat reads who answered and what straight from the notice, not after a reload; the seat
        // holding the alarm hears of it wherever the ladder has got to.
        await seats.NotifyAsync(alarm, await ElderNameAsync(), change, alsoSeat: alarm.Record.AcceptedBy, detail: detail);
    }

    public async Task RecordNoteAsync(AlarmChange type, string detail)
    {
        var alarm = await RequireAlarmAsync();
        alarm.AddTimeline(clock.GetUtcNow(), type, AlarmLifecycle.System, detail);
        await SaveAsync();
        await NotifySeatsAsync(type);
    }

    public async Task<AlarmTimelineEntry> AddNoteAsync(AlarmNoteAuthor author, string text)
    {
        var alarm = await RequireAlarmAsync();
        var note = alarm.AddNote(author, text, clock.GetUtcNow());
        await SaveAsync();
        LogNoteAdded(alarm.Record.Id, note.Actor);
        // The seat holding the alarm hears of it wherever the ladder has got to; the text travels in
        // the notice so that a screen can show it before it reads the timeline again.
        await seats.NotifyAsync(alarm, await ElderNameAsync(), AlarmChange.NoteAdded, alsoSeat: alarm.Record.AcceptedBy, detail: text);
        return new AlarmTimelineEntry(note.At, note.Type, note.Actor, note.Detail);
    }

    public async Task AdvanceEscalationAsync()
    {
        await EnsureLoadedAsync();
        if (_alarm is null)
        {
            return;
        }

        // A later step reads the elder afresh, so that a contact added while the alarm runs is texted.
        var now = clock.GetUtcNow();
        var steps = _alarm.Record.NextStepDueAt is { } due && due <= now
            ? await PrepareDueStepsAsync(now, await store.LoadElderAsync(_alarm.Record.ElderId) ?? _elder)
            : PreparedSteps.None;
        if (steps.Taken.Count > 0)
        {
            await SaveAsync(steps.Notifications);
        }

        await CarryOutAsync(steps);
    }

    public async Task<AlarmSnapshot?> GetAsync()
    {
        await EnsureLoadedAsync();
        return _alarm?.ToSnapshot();
    }

    private async Task<PreparedSteps> PrepareOrForgetAsync(DateTimeOffset now, AlarmElder elder)
    {
        try
        {
            return await PrepareDueStepsAsync(now, elder);
        }
        catch
        {
            // Nothing is stored: forget the change, so that the device's retry raises or joins afresh
            // instead of finding what only ever existed in memory.
            Forget();
            throw;
        }
    }

    /// <summary>Takes the due steps in memory: who is offered the alarm, whom to text. Nothing is told yet.</summary>
    private async Task<PreparedSteps> PrepareDueStepsAsync(DateTimeOffset now, AlarmElder? elder)
    {
        var alarm = _alarm!;
        var wasOverdue = alarm.Record.Overdue;
        var taken = alarm.TakeDueSteps(now);
        var prepared = new PreparedSteps([.. taken], [], []);
        if (taken.Count == 0)
        {
            return prepared;
        }

        var texted = new HashSet<string>(StringComparer.Ordinal);
        var noSeatPresent = false;
        foreach (var step in taken)
        {
            switch (await seats.OfferAsync(alarm, step.Step.Seats, now))
            {
                case { Count: > 0 } offered:
                    prepared.Offers.Add((step.FirstOfLadder, offered));
                    break;
                case { Count: 0 }:
                    noSeatPresent = true;
                    break;
            }

            prepared.Notifications.AddRange(notifications.ForStep(alarm, step, elder, now, texted));
        }

        if (noSeatPresent)
        {
            // Nobody can take it, so the ladder's later steps happen now: supervisors see it overdue,
            // and every recipient the later steps would text is texted (once, whatever the steps say).
            var rest = alarm.EscalateToTop(now, "no seat is present to take the alarm: flagged for supervisors at once");
            metrics.EscalatedAtOnce("no_seat_present");
            foreach (var step in rest)
            {
                prepared.Taken.Add(step);
                prepared.Notifications.AddRange(notifications.ForStep(alarm, step, elder, now, texted));
            }
        }

        prepared.BecameOverdue = !wasOverdue && alarm.Record.Overdue;
        return prepared;
    }

    /// <summary>Once the steps are stored: tells the seats, starts the texts, and sets the timer for the next step.</summary>
    private async Task CarryOutAsync(PreparedSteps steps, long? raiseStarted = null)
    {
        var alarm = _alarm!;
        foreach (var step in steps.Taken)
        {
            metrics.EscalationStep(step.Level);
            LogStep(alarm.Record.Id, step.Level);
        }

        var snapshot = alarm.ToSnapshot();
        var elderName = await ElderNameAsync();
        foreach (var (first, offered) in steps.Offers)
        {
            await seats.TellAsync(offered, snapshot, elderName, first ? AlarmChange.Offered : AlarmChange.Escalated);
        }

        if (raiseStarted is { } started && steps.Offers.Count > 0)
        {
            metrics.Offered(Stopwatch.GetElapsedTime(started));
        }

        if (steps.BecameOverdue)
        {
            await seats.TellAsync(await seats.EverySeatAsync(alarm.Record.District), snapshot, elderName, AlarmChange.Overdue);
        }

        foreach (var notification in steps.Notifications)
        {
            await GrainFactory.GetGrain<INotificationGrain>(notification.Id).DeliverAsync();
        }

        ScheduleEscalation();
    }

    private async Task NotifySeatsAsync(AlarmChange change, string? alsoSeat = null) =>
        await seats.NotifyAsync(_alarm!, await ElderNameAsync(), change, alsoSeat);

    /// <summary>The name for the seats' screens: in memory after a raise or join, read once after a reactivation.</summary>
    private async Task<string> ElderNameAsync()
    {
        _elder ??= await store.LoadElderAsync(_alarm!.Record.ElderId);
        return _elder?.Name ?? "";
    }

    /// <summary>Escalation timing: a grain timer for the next step while active; the sweeper finds it after a crash.</summary>
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

    private async Task SaveAsync(IReadOnlyList<NotificationRecord>? notifications = null, bool isNew = false)
    {
        try
        {
            await store.SaveAsync(_alarm!, notifications, isNew);
        }
        catch
        {
            // Memory may now be ahead of the records; the records win on the next call.
            Forget();
            throw;
        }
    }

    private void Forget()
    {
        _alarm = null;
        _loaded = false;
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken = default)
    {
        if (_loaded)
        {
            return;
        }

        var record = await store.LoadAsync(this.GetPrimaryKey(), cancellationToken);
        _alarm = record is null ? null : AlarmLifecycle.Load(record, policy);
        _loaded = true;
        ScheduleEscalation();
    }

    private async Task<AlarmLifecycle> RequireAlarmAsync()
    {
        await EnsureLoadedAsync();
        return _alarm ?? throw new AlarmNotFoundException(this.GetPrimaryKey());
    }

    private sealed record PreparedSteps(
        List<TakenStep> Taken,
        List<NotificationRecord> Notifications,
        List<(bool FirstOfLadder, IReadOnlyList<string> Seats)> Offers)
    {
        public static PreparedSteps None => new([], [], []);

        /// <summary>These steps flagged the alarm overdue: every present seat (supervisors among them) is told.</summary>
        public bool BecameOverdue { get; set; }
    }

    [LoggerMessage(1020, LogLevel.Warning, "Alarm {AlarmId}: the family answered ({Change}) by {Channel}")]
    private partial void LogFamilyResponse(Guid alarmId, AlarmChange change, NotificationChannel channel);

    [LoggerMessage(1021, LogLevel.Information, "Alarm {AlarmId}: note added by {Actor}")]
    private partial void LogNoteAdded(Guid alarmId, string actor);

    [LoggerMessage(1001, LogLevel.Warning, "Alarm {AlarmId} raised: {Kind} of elder {ElderId} from device {DeviceId}, severity {Severity}")]
    private partial void LogRaised(Guid alarmId, string kind, Guid elderId, string deviceId, AlarmSeverity severity);

    [LoggerMessage(1002, LogLevel.Information, "Alarm {AlarmId} escalation step {Level} taken")]
    private partial void LogStep(Guid alarmId, int level);

    [LoggerMessage(1003, LogLevel.Information, "Alarm {AlarmId} accepted by seat {SeatId}")]
    private partial void LogAccepted(Guid alarmId, string seatId);

    [LoggerMessage(1004, LogLevel.Information, "Alarm {AlarmId} resolved by {SeatId}: {Outcome}")]
    private partial void LogResolved(Guid alarmId, string seatId, string outcome);
}
