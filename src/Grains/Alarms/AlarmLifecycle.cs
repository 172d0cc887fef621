using System.Globalization;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Grains.Devices;
using ElderIoT.Records;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// The alarm state machine over one <see cref="AlarmRecord"/>: raise → escalate → accept → resolve.
/// Pure: it changes the record in memory and lists the timeline entries and device events to store;
/// the alarm grain stores them and carries out the side effects.
/// </summary>
internal sealed class AlarmLifecycle
{
    private readonly AlarmEscalationPolicy _policy;
    private readonly List<AlarmTimelineRecord> _newTimeline = [];
    private readonly List<DeviceEventRecord> _newDeviceEvents = [];

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

    public static AlarmLifecycle Load(AlarmRecord record, AlarmEscalationPolicy policy) => new(record, policy);

    public static AlarmLifecycle Raise(
        Guid alarmId, Guid elderId, string district, AlarmKind kind, DeviceEvent trigger,
        DateTimeOffset now, AlarmEscalationPolicy policy)
    {
        var record = new AlarmRecord
        {
            Id = alarmId,
            ElderId = elderId,
            District = district,
            Kind = kind.ToSnakeCase(),
            Status = AlarmStatus.Open.ToSnakeCase(),
            // Deadlines run from when the centre learnt of the alarm, not from the device's clock,
            // which may be wrong or the event may have been buffered offline.
            RaisedAt = now,
            NextStepDueAt = now,
            DeviceId = trigger.DeviceId,
            Lat = trigger.Position?.Lat,
            Lon = trigger.Position?.Lon,
            Accuracy = trigger.Position?.Accuracy,
            UpdatedAt = now,
        };
        var lifecycle = new AlarmLifecycle(record, policy);
        lifecycle.AddDeviceEvent(trigger, now);
        lifecycle.AddTimeline(now, "raised", Device(trigger), $"{kind.ToSnakeCase()} from device {trigger.DeviceId} ({DeviceTimeText(trigger)})",
            kind.ToSnakeCase(), trigger.DeviceId, trigger.DeviceTime?.ToString("O", CultureInfo.InvariantCulture) ?? "");
        lifecycle.NoteAnomalies(trigger, now);
        return lifecycle;
    }

    /// <summary>A further alarm event of the same elder joins this alarm while it is not resolved.</summary>
    public bool Join(AlarmKind kind, DeviceEvent deviceEvent, DateTimeOffset now)
    {
        if (Status == AlarmStatus.Resolved)
        {
            return false;
        }

        AddDeviceEvent(deviceEvent, now);
        if (deviceEvent.Position is { } position)
        {
            Record.Lat = position.Lat;
            Record.Lon = position.Lon;
            Record.Accuracy = position.Accuracy;
        }

        Touch(now);
        AddTimeline(now, "joined", Device(deviceEvent), $"{kind.ToSnakeCase()} from device {deviceEvent.DeviceId}", kind.ToSnakeCase(), deviceEvent.DeviceId);
        NoteAnomalies(deviceEvent, now);
        return true;
    }

    /// <summary>
    /// The elder cancelled on the device. Escalation goes on: a cancel may be a mistake or made under
    /// duress, so a seat still confirms and resolves the alarm.
    /// </summary>
    public bool RecordCancel(DeviceEvent deviceEvent, DateTimeOffset now)
    {
        if (Status == AlarmStatus.Resolved)
        {
            return false;
        }

        AddDeviceEvent(deviceEvent, now);
        Record.CancelRequested = true;
        Touch(now);
        AddTimeline(now, "cancel_requested", Device(deviceEvent), "the elder cancelled on the device; a seat must confirm");
        NoteAnomalies(deviceEvent, now);
        return true;
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
        AddTimeline(now, "accepted", Seat(seatId), null);
    }

    public void Resolve(string seatId, AlarmOutcome outcome, string? notes, DateTimeOffset now)
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
        AddTimeline(now, "resolved", Seat(seatId), string.IsNullOrWhiteSpace(notes) ? outcome.ToSnakeCase() : $"{outcome.ToSnakeCase()}: {notes}",
            [outcome.ToSnakeCase(), .. string.IsNullOrWhiteSpace(notes) ? Array.Empty<string>() : [notes]]);
    }

    /// <summary>
    /// Takes every step due by <paramref name="now"/> (several when the process was down across more
    /// than one deadline) and returns them with their 1-based level. Only an open alarm escalates.
    /// </summary>
    public IReadOnlyList<(int Level, EscalationStep Step)> TakeDueSteps(DateTimeOffset now)
    {
        if (Status != AlarmStatus.Open)
        {
            return [];
        }

        var taken = new List<(int, EscalationStep)>();
        while (_policy.NextDueAt(Record.RaisedAt, Record.EscalationLevel) is { } due && due <= now)
        {
            var step = _policy[Record.EscalationLevel];
            Record.EscalationLevel++;
            taken.Add((Record.EscalationLevel, step));
            if (step.FlagOverdue && !Record.Overdue)
            {
                Record.Overdue = true;
                AddTimeline(now, "overdue", System, $"not accepted {step.After.TotalSeconds:0} s after the raise", "after", Seconds(step.After));
            }
            else if (Record.EscalationLevel > 1)
            {
                AddTimeline(now, "escalated", System, $"step {Record.EscalationLevel}: not accepted {step.After.TotalSeconds:0} s after the raise",
                    Record.EscalationLevel.ToString(CultureInfo.InvariantCulture), Seconds(step.After));
            }
        }

        Record.NextStepDueAt = _policy.NextDueAt(Record.RaisedAt, Record.EscalationLevel);
        if (taken.Count > 0)
        {
            Touch(now);
        }

        return taken;
    }

    /// <summary>
    /// Takes every step left on the ladder at once and flags the alarm overdue: no seat is there to
    /// take it, so waiting for the ladder's deadlines would only delay the people who can act.
    /// </summary>
    public IReadOnlyList<(int Level, EscalationStep Step)> EscalateToTop(DateTimeOffset now, string reason)
    {
        if (Status != AlarmStatus.Open)
        {
            return [];
        }

        var taken = new List<(int, EscalationStep)>();
        while (Record.EscalationLevel < _policy.StepCount)
        {
            var step = _policy[Record.EscalationLevel];
            Record.EscalationLevel++;
            taken.Add((Record.EscalationLevel, step));
        }

        Record.NextStepDueAt = null;
        if (!Record.Overdue)
        {
            Record.Overdue = true;
            // Only a missing seat takes the whole ladder at once; the API renders that reason by this key.
            AddTimeline(now, "overdue", System, reason, "no_seat_present");
        }

        Touch(now);
        return taken;
    }

    /// <summary>
    /// An entry: <paramref name="detail"/> is the English text the record keeps; <paramref name="parameters"/>
    /// are the values the API renders in the reader's language for <paramref name="type"/> (ApiTexts.Timeline).
    /// </summary>
    public void AddTimeline(DateTimeOffset at, string type, string actor, string? detail, params string[] parameters) =>
        _newTimeline.Add(new AlarmTimelineRecord { AlarmId = Record.Id, At = at, Type = type, Actor = actor, Detail = detail, Parameters = [.. parameters] });

    /// <summary>Forgets the pending changes once they are stored.</summary>
    public void TakeChanges()
    {
        _newTimeline.Clear();
        _newDeviceEvents.Clear();
    }

    public AlarmSnapshot ToSnapshot() => Record.ToSnapshot();

    public const string System = "system";

    public static string Seat(string seatId) => $"seat:{seatId}";

    private static string Device(DeviceEvent deviceEvent) => $"device:{deviceEvent.DeviceId}";

    private void Touch(DateTimeOffset now) => Record.UpdatedAt = now;

    /// <summary>
    /// What was wrong around an event goes on the timeline and on the alarm the seat sees: the alarm
    /// was raised without the bad part, and the seat must know (no position, a wrong device clock).
    /// </summary>
    private void NoteAnomalies(DeviceEvent deviceEvent, DateTimeOffset now)
    {
        foreach (var anomaly in deviceEvent.Anomalies)
        {
            AddTimeline(now, "anomaly", Device(deviceEvent), anomaly.Detail, anomaly.Kind.ToSnakeCase(), anomaly.Detail);
            var stored = anomaly.ToStored();
            // Bounded: a device that keeps joining with the same fault says it once.
            if (Record.Anomalies.Count < MaxAnomaliesOnAlarm && !Record.Anomalies.Contains(stored))
            {
                Record.Anomalies = [.. Record.Anomalies, stored];
            }
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);

    private static string DeviceTimeText(DeviceEvent deviceEvent) =>
        deviceEvent.DeviceTime is { } time ? $"device time {time:O}" : "no device time";

    private const int MaxAnomaliesOnAlarm = 20;

    private void AddDeviceEvent(DeviceEvent deviceEvent, DateTimeOffset now) =>
        _newDeviceEvents.Add(DeviceEventRecords.From(deviceEvent, now, Record.Id));
}
