using System.Globalization;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Grains.Devices;
using ElderIoT.Records;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// The incident state machine over one <see cref="AlarmRecord"/>: raise → join → escalate → accept →
/// resolve (or clear itself). Pure: it changes the record in memory and lists the timeline entries and
/// device events to store; the alarm grain stores them and carries out the side effects.
/// </summary>
internal sealed class AlarmLifecycle
{
    private readonly AlarmEscalationPolicy _policy;
    private readonly List<AlarmTimelineRecord> _newTimeline = [];
    private readonly List<DeviceEventRecord> _newDeviceEvents = [];
    private readonly List<CallbackTaskRecord> _newCallbacks = [];

    private AlarmLifecycle(AlarmRecord record, AlarmEscalationPolicy policy)
    {
        Record = record;
        _policy = policy;
    }

    public AlarmRecord Record { get; }

    public AlarmStatus Status => EnumNames.ParseSnakeCase<AlarmStatus>(Record.Status);

    /// <summary>Timeline entries added since the last <see cref="TakeChanges"/>.</summary>
    public IReadOnlyList<AlarmTimelineRecord> NewTimeline => _newTimeline;

    /// <summary>Device events to record with the alarm since the last <see cref="TakeChanges"/>.</summary>
    public IReadOnlyList<DeviceEventRecord> NewDeviceEvents => _newDeviceEvents;

    /// <summary>Call-backs (回访) the resolution scheduled, stored in its transaction, since the last <see cref="TakeChanges"/>.</summary>
    public IReadOnlyList<CallbackTaskRecord> NewCallbacks => _newCallbacks;

    /// <summary>Every kind of the incident, in the order they came.</summary>
    public IReadOnlyList<AlarmKind> Kinds => [.. Record.Sources.Select(s => AlarmSources.Parse(s).Kind).Distinct()];

    public static AlarmLifecycle Load(AlarmRecord record, AlarmEscalationPolicy policy)
    {
        // A row stored before incidents existed: one cause, its ladder started at the raise.
        if (record.Sources.Count == 0)
        {
            record.Sources = [AlarmSources.Format(EnumNames.ParseSnakeCase<AlarmKind>(record.Kind), record.DeviceId)];
        }

        if (record.LadderStartedAt == default)
        {
            record.LadderStartedAt = record.RaisedAt;
        }

        if (record.LastEventAt == default)
        {
            record.LastEventAt = record.UpdatedAt;
        }

        return new(record, policy);
    }

    public static AlarmLifecycle Raise(Guid alarmId, AlarmElder elder, AlarmTrigger trigger, DateTimeOffset now, AlarmEscalationPolicy policy)
    {
        var deviceEvent = trigger.Event;
        var record = new AlarmRecord
        {
            Id = alarmId,
            ElderId = elder.Id,
            District = elder.District,
            Kind = trigger.Kind.ToSnakeCase(),
            Severity = trigger.Severity,
            Sources = [AlarmSources.Format(trigger.Kind, trigger.DeviceId)],
            Status = AlarmStatus.Open.ToSnakeCase(),
            // Deadlines run from when the centre learnt of the alarm, not from the device's clock,
            // which may be wrong or the event may have been buffered offline.
            RaisedAt = now,
            LastEventAt = now,
            LadderStartedAt = now,
            NextStepDueAt = now,
            DeviceId = trigger.DeviceId,
            Lat = deviceEvent.Position?.Lat,
            Lon = deviceEvent.Position?.Lon,
            Accuracy = deviceEvent.Position?.Accuracy,
            UpdatedAt = now,
        };
        var lifecycle = new AlarmLifecycle(record, policy);
        deviceEvent = lifecycle.MarkIfLate(deviceEvent, now);
        lifecycle.AddDeviceEvent(deviceEvent, now);
        lifecycle.AddTimeline(now, AlarmChange.Raised, Device(deviceEvent), $"{trigger.Kind.ToSnakeCase()} from device {deviceEvent.DeviceId} ({DeviceTimeText(deviceEvent)}){ReadingsText(trigger.Detail)}",
            trigger.Kind.ToSnakeCase(), deviceEvent.DeviceId, deviceEvent.DeviceTime?.ToString("O", CultureInfo.InvariantCulture) ?? "", ReadingsText(trigger.Detail).TrimStart(';', ' '));
        lifecycle.NoteAnomalies(deviceEvent, now);
        lifecycle.KeepFinding(trigger);
        return lifecycle;
    }

    /// <summary>
    /// A further cause of the same elder joins this incident while it is not resolved, and, once a
    /// seat holds it, while the cause is close in time to the last one. A more severe cause raises the incident's severity; while
    /// nobody holds it, the ladder of the new severity starts afresh (a maintenance ticket does not
    /// keep an SOS on the maintenance list).
    /// </summary>
    public JoinResult Join(AlarmTrigger trigger, DateTimeOffset now)
    {
        if (Status == AlarmStatus.Resolved)
        {
            return JoinResult.Closed;
        }

        var source = AlarmSources.Format(trigger.Kind, trigger.DeviceId);
        if (trigger.Event.Type == DeviceEventType.CentreAlarm && Record.Sources.Contains(source) && !Record.ClearedSources.Contains(source))
        {
            // A rule saying again what the incident already holds (still silent, still out of range): nothing new.
            return JoinResult.Joined;
        }

        // While nobody has taken the alarm every cause joins it: the queue holds one item per elder
        // until a seat takes it. Once a seat handles it, a cause later than the window is another
        // emergency and is offered afresh rather than told only to the seat busy with the first.
        if (Status == AlarmStatus.Accepted && now - Record.LastEventAt > _policy.IncidentWindow)
        {
            return JoinResult.OutsideWindow;
        }

        var deviceEvent = MarkIfLate(trigger.Event, now);
        AddDeviceEvent(deviceEvent, now);
        if (deviceEvent.Position is { } position)
        {
            Record.Lat = position.Lat;
            Record.Lon = position.Lon;
            Record.Accuracy = position.Accuracy;
        }

        if (!Record.Sources.Contains(source))
        {
            Record.Sources = [.. Record.Sources, source];
        }

        // The cause is back (a device silent again): it is no longer cleared.
        Record.ClearedSources = [.. Record.ClearedSources.Where(s => s != source)];
        Record.LastEventAt = now;
        Touch(now);
        AddTimeline(now, AlarmChange.Joined, Device(deviceEvent), $"{trigger.Kind.ToSnakeCase()} from device {deviceEvent.DeviceId}{ReadingsText(trigger.Detail)}",
            trigger.Kind.ToSnakeCase(), deviceEvent.DeviceId);
        NoteAnomalies(deviceEvent, now);
        KeepFinding(trigger);
        if (trigger.Severity <= Record.Severity)
        {
            return JoinResult.Joined;
        }

        var was = Record.Severity;
        Record.Severity = trigger.Severity;
        Record.Kind = trigger.Kind.ToSnakeCase();
        if (Status == AlarmStatus.Open)
        {
            Record.LadderStartedAt = now;
            Record.LadderStartLevel = Record.EscalationLevel;
            Record.NextStepDueAt = now;
        }

        AddTimeline(now, AlarmChange.SeverityRaised, System, $"{was.ToSnakeCase()} → {trigger.Severity.ToSnakeCase()} ({trigger.Kind.ToSnakeCase()})",
            was.ToSnakeCase(), trigger.Severity.ToSnakeCase(), trigger.Kind.ToSnakeCase());
        return JoinResult.Upgraded;
    }

    /// <summary>
    /// The elder cancelled on a device. It covers what that device raised and the elder's SOS, never a
    /// sensor's smoke or a rule's alarm; escalation goes on either way: a cancel may be a mistake or
    /// made under duress, so a seat still confirms and resolves the alarm.
    /// </summary>
    public CancelScope RecordCancel(DeviceEvent deviceEvent, DateTimeOffset now)
    {
        if (Status == AlarmStatus.Resolved)
        {
            return CancelScope.NoOpenAlarm;
        }

        AddDeviceEvent(deviceEvent, now);
        Touch(now);
        NoteAnomalies(deviceEvent, now);
        var live = Record.Sources.Except(Record.ClearedSources).Select(AlarmSources.Parse).ToList();
        var covered = live.Where(s => s.DeviceId == deviceEvent.DeviceId || s.Kind == AlarmKind.Sos).Select(s => s.Kind).Distinct().ToList();
        var uncovered = live.Select(s => s.Kind).Distinct().Except(covered).ToList();
        if (covered.Count > 0)
        {
            AddTimeline(now, AlarmChange.CancelRequested, Device(deviceEvent), "the elder cancelled on the device; a seat must confirm",
                [.. covered.Select(k => k.ToSnakeCase())]);
        }

        if (uncovered.Count == 0)
        {
            Record.CancelRequested = true;
            return CancelScope.Whole;
        }

        AddTimeline(now, AlarmChange.CancelIgnored, Device(deviceEvent),
            $"cancel from device {deviceEvent.DeviceId} does not cover {string.Join(", ", uncovered.Select(k => k.ToSnakeCase()))}: ignored for them",
            [deviceEvent.DeviceId, .. uncovered.Select(k => k.ToSnakeCase())]);
        return covered.Count > 0 ? CancelScope.Partial : CancelScope.Ignored;
    }

    /// <summary>
    /// A centre rule's cause has gone. The alarm closes itself only while nobody holds it and every
    /// cause of the incident is gone; a seat that took it decides, and an SOS in the incident stays.
    /// </summary>
    public AlarmClearResult Clear(AlarmKind kind, string deviceId, AlarmRecovery reason, DateTimeOffset now)
    {
        var source = AlarmSources.Format(kind, deviceId);
        if (Status == AlarmStatus.Resolved || !Record.Sources.Contains(source))
        {
            return AlarmClearResult.NoOpenAlarm;
        }

        if (!Record.ClearedSources.Contains(source))
        {
            Record.ClearedSources = [.. Record.ClearedSources, source];
        }

        Touch(now);
        if (Status == AlarmStatus.Open && Record.Sources.All(Record.ClearedSources.Contains))
        {
            Record.Status = AlarmStatus.Resolved.ToSnakeCase();
            Record.Outcome = AlarmOutcome.SelfCleared.ToSnakeCase();
            Record.ResolvedAt = now;
            Record.NextStepDueAt = null;
            AddTimeline(now, AlarmChange.Resolved, System, $"{AlarmOutcome.SelfCleared.ToSnakeCase()}: {reason.ToSnakeCase()}",
                AlarmOutcome.SelfCleared.ToSnakeCase(), reason.ToSnakeCase());
            return AlarmClearResult.SelfCleared;
        }

        AddTimeline(now, AlarmChange.Recovered, Device(deviceId), $"{kind.ToSnakeCase()} from device {deviceId}: {reason.ToSnakeCase()}",
            kind.ToSnakeCase(), deviceId, reason.ToSnakeCase());
        return AlarmClearResult.RecoveryRecorded;
    }

    public void Accept(string seatId, DateTimeOffset now)
    {
        switch (Status)
        {
            case AlarmStatus.Accepted when Record.AcceptedBy == seatId:
                return; // Idempotent: a seat's retried click is not a conflict.
            case AlarmStatus.Accepted:
                throw new AlarmConflictException($"Alarm {Record.Id} is held by seat '{Record.AcceptedBy}'.");
            case AlarmStatus.Resolved:
                throw new AlarmConflictException($"Alarm {Record.Id} is already resolved.");
        }

        Record.Status = AlarmStatus.Accepted.ToSnakeCase();
        Record.AcceptedBy = seatId;
        Record.AcceptedAt = now;
        Record.NextStepDueAt = null;
        Touch(now);
        AddTimeline(now, AlarmChange.Accepted, Seat(seatId), null);
    }

    public void Resolve(string seatId, AlarmOutcome outcome, string? notes, DateTimeOffset now, CallbackTaskRecord? callback = null)
    {
        if (Status != AlarmStatus.Accepted || Record.AcceptedBy != seatId)
        {
            throw new AlarmConflictException(Status switch
            {
                AlarmStatus.Resolved => $"Alarm {Record.Id} is already resolved.",
                AlarmStatus.Open => $"Alarm {Record.Id} must be accepted before it is resolved.",
                _ => $"Alarm {Record.Id} is held by seat '{Record.AcceptedBy}', not '{seatId}'.",
            });
        }

        Record.Status = AlarmStatus.Resolved.ToSnakeCase();
        Record.Outcome = outcome.ToSnakeCase();
        Record.Notes = notes;
        Record.ResolvedAt = now;
        Record.NextStepDueAt = null;
        Touch(now);
        AddTimeline(now, AlarmChange.Resolved, Seat(seatId), string.IsNullOrWhiteSpace(notes) ? outcome.ToSnakeCase() : $"{outcome.ToSnakeCase()}: {notes}",
            [outcome.ToSnakeCase(), .. string.IsNullOrWhiteSpace(notes) ? Array.Empty<string>() : [notes]]);
        if (callback is not null)
        {
            _newCallbacks.Add(callback);
        }
    }

    /// <summary>
    /// A note of the centre's people on the timeline, by its author (the seat, or the user who is not
    /// one), while the alarm is not resolved: after that the record of the incident is closed.
    /// </summary>
    public AlarmTimelineRecord AddNote(AlarmNoteAuthor author, string text, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (Status == AlarmStatus.Resolved)
        {
            throw new AlarmConflictException($"Alarm {Record.Id} is resolved: notes go on an alarm that is still open.");
        }

        var actor = author.SeatId is { Length: > 0 } seat ? Seat(seat) : User(author.UserName);
        Touch(now);
        AddTimeline(now, AlarmChange.NoteAdded, actor, text, text, author.UserName);
        return _newTimeline[^1];
    }

    /// <summary>
    /// Takes every step of the current ladder due by <paramref name="now"/> (several when the process
    /// was down across more than one deadline) and returns them with their 1-based level. Only an open
    /// alarm escalates.
    /// </summary>
    public IReadOnlyList<TakenStep> TakeDueSteps(DateTimeOffset now)
    {
        if (Status != AlarmStatus.Open)
        {
            return [];
        }

        var taken = new List<TakenStep>();
        while (_policy.NextStep(Record) is { } step && Record.LadderStartedAt + step.After <= now)
        {
            var first = Record.EscalationLevel == Record.LadderStartLevel;
            Record.EscalationLevel++;
            taken.Add(new TakenStep(Record.EscalationLevel, step, first));
            var stepOfLadder = Record.EscalationLevel - Record.LadderStartLevel;
            if (step.FlagOverdue && !Record.Overdue)
            {
                Record.Overdue = true;
                AddTimeline(now, AlarmChange.Overdue, System, $"not accepted {step.After.TotalSeconds:0} s after the raise", "after", Seconds(step.After));
            }
            else if (stepOfLadder > 1)
            {
                AddTimeline(now, AlarmChange.Escalated, System, $"step {stepOfLadder}: not accepted {step.After.TotalSeconds:0} s after the raise",
                    stepOfLadder.ToString(CultureInfo.InvariantCulture), Seconds(step.After));
            }
        }

        Record.NextStepDueAt = _policy.NextDueAt(Record);
        if (taken.Count > 0)
        {
            Touch(now);
        }

        return taken;
    }

    /// <summary>
    /// Takes every step left on the current ladder at once and flags the alarm overdue when its ladder
    /// ever would: no seat is there to take it, so waiting for the ladder's deadlines would only delay
    /// the people who can act.
    /// </summary>
    public IReadOnlyList<TakenStep> EscalateToTop(DateTimeOffset now, string reason)
    {
        if (Status != AlarmStatus.Open)
        {
            return [];
        }

        var taken = new List<TakenStep>();
        var flagsOverdue = false;
        while (_policy.NextStep(Record) is { } step)
        {
            flagsOverdue |= step.FlagOverdue;
            Record.EscalationLevel++;
            taken.Add(new TakenStep(Record.EscalationLevel, step, FirstOfLadder: false));
        }

        Record.NextStepDueAt = null;
        flagsOverdue |= _policy.Ladder(Record.Severity).Any(s => s.FlagOverdue);
        if (!Record.Overdue && flagsOverdue)
        {
            Record.Overdue = true;
            // Only a missing seat takes the whole ladder at once; the API renders that reason by this key.
            AddTimeline(now, AlarmChange.Overdue, System, reason, "no_seat_present");
        }

        Touch(now);
        return taken;
    }

    /// <summary>
    /// An entry: <paramref name="detail"/> is the English text the record keeps; <paramref name="parameters"/>
    /// are the values the API renders in the reader's language for <paramref name="type"/> (ApiTexts.Timeline).
    /// </summary>
    public void AddTimeline(DateTimeOffset at, AlarmChange type, string actor, string? detail, params string[] parameters) =>
        _newTimeline.Add(new AlarmTimelineRecord { AlarmId = Record.Id, At = at, Type = type.ToSnakeCase(), Actor = actor, Detail = detail, Parameters = [.. parameters] });

    /// <summary>Forgets the pending changes once they are stored.</summary>
    public void TakeChanges()
    {
        _newTimeline.Clear();
        _newDeviceEvents.Clear();
        _newCallbacks.Clear();
    }

    public AlarmSnapshot ToSnapshot() => Record.ToSnapshot();

    public const string System = "system";

    public static string Seat(string seatId) => $"seat:{seatId}";

    /// <summary>A person who acts as no seat (a supervisor writing a note).</summary>
    public static string User(string userName) => $"user:{userName}";

    private static string Device(DeviceEvent deviceEvent) => Device(deviceEvent.DeviceId);

    private static string Device(string deviceId) => $"device:{deviceId}";

    private void Touch(DateTimeOffset now) => Record.UpdatedAt = now;

    /// <summary>
    /// An event whose device time is plausible (no clock anomaly) but well before its arrival was
    /// buffered while the device was offline: it raises as any other, and the seat is told how late
    /// it is, since the elder may have moved or been helped meanwhile.
    /// </summary>
    private DeviceEvent MarkIfLate(DeviceEvent deviceEvent, DateTimeOffset now)
    {
        if (deviceEvent.DeviceTime is not { } time
            || deviceEvent.Anomalies.Any(a => a.Kind is EventAnomalyKind.ClockAhead or EventAnomalyKind.ClockBehind or EventAnomalyKind.ClockUnreadable or EventAnomalyKind.ArrivedLate)
            || now - time <= _policy.LateAfter)
        {
            return deviceEvent;
        }

        var late = new EventAnomaly(EventAnomalyKind.ArrivedLate,
            string.Create(CultureInfo.InvariantCulture, $"arrived {Math.Round((now - time).TotalMinutes):0} min after the device time {time:O}: buffered while offline"));
        return deviceEvent with { Anomalies = [.. deviceEvent.Anomalies, late] };
    }

    /// <summary>
    /// What was wrong around an event goes on the timeline and on the alarm the seat sees: the alarm
    /// was raised without the bad part, and the seat must know (no position, a wrong device clock).
    /// </summary>
    private void NoteAnomalies(DeviceEvent deviceEvent, DateTimeOffset now)
    {
        foreach (var anomaly in deviceEvent.Anomalies)
        {
            AddTimeline(now, AlarmChange.Anomaly, Device(deviceEvent), anomaly.Detail, anomaly.Kind.ToSnakeCase(), anomaly.Detail);
            var stored = anomaly.ToStored();
            // Bounded: a device that keeps joining with the same fault says it once.
            if (Record.Anomalies.Count < MaxAnomaliesOnAlarm && !Record.Anomalies.Contains(stored))
            {
                Record.Anomalies = [.. Record.Anomalies, stored];
            }
        }
    }

    /// <summary>
    /// A rule's values (the readings that fired it, the limit) are kept on the alarm, so the seat's card,
    /// the stream and a restarted node show them. Bounded: a rule that keeps joining says it a few times, not forever.
    /// </summary>
    private void KeepFinding(AlarmTrigger trigger)
    {
        if (trigger.Detail is { } detail && Record.Findings.Count < MaxFindingsOnAlarm)
        {
            Record.Findings = [.. Record.Findings, new AlarmFinding(trigger.Kind, trigger.DeviceId, trigger.Event.OccurredAt, detail).ToStored()];
        }
    }

    private const int MaxFindingsOnAlarm = 20;

    private static string ReadingsText(CentreAlarmDetail? detail) =>
        detail is null || detail.Readings.Count == 0
            ? ""
            : "; " + string.Join(", ", detail.Readings.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Kind.ToSnakeCase()} {r.Value:0.#}")))
              + (detail.Threshold is { } threshold ? string.Create(CultureInfo.InvariantCulture, $" (limit {threshold:0.#})") : "");

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);

    private static string DeviceTimeText(DeviceEvent deviceEvent) =>
        deviceEvent.DeviceTime is { } time ? $"device time {time:O}" : "no device time";

    private const int MaxAnomaliesOnAlarm = 20;

    private void AddDeviceEvent(DeviceEvent deviceEvent, DateTimeOffset now) =>
        _newDeviceEvents.Add(DeviceEventRecords.From(deviceEvent, now, Record.Id));
}

/// <summary>One escalation step taken: its 1-based level (counted over every ladder the alarm walked), and whether it opened its ladder.</summary>
internal readonly record struct TakenStep(int Level, EscalationStep Step, bool FirstOfLadder);
