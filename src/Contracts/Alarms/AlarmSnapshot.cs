using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Alarms;

/// <summary>The current state of one alarm.</summary>
[GenerateSerializer, Immutable]
public sealed record AlarmSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ElderId,
    [property: Id(2)] string District,
    [property: Id(3)] AlarmKind Kind,
    [property: Id(4)] AlarmStatus Status,
    [property: Id(5)] bool Overdue,
    [property: Id(6)] int EscalationLevel,
    [property: Id(7)] DateTimeOffset RaisedAt,
    [property: Id(8)] string DeviceId,
    [property: Id(9)] GeoPosition? Position,
    [property: Id(10)] string? AcceptedBy,
    [property: Id(11)] DateTimeOffset? AcceptedAt,
    [property: Id(12)] DateTimeOffset? ResolvedAt,
    [property: Id(13)] AlarmOutcome? Outcome,
    [property: Id(14)] string? Notes,
    [property: Id(15)] bool CancelRequested)
{
    /// <summary>
    /// What was wrong around the events of this alarm (a device clock ahead, a position refused, an id
    /// reused), for the seat: the alarm was raised anyway, without the bad part.
    /// </summary>
    [Id(16)]
    public IReadOnlyList<EventAnomaly> Anomalies { get; init; } = [];

    /// <summary>How urgent: the highest severity of its causes. Queues sort by it (critical first), then oldest first.</summary>
    [Id(17)]
    public AlarmSeverity Severity { get; init; } = AlarmSeverity.Critical;

    /// <summary>Every kind in the incident, in the order they came (<see cref="Kind"/> is the most severe, first come).</summary>
    [Id(18)]
    public IReadOnlyList<AlarmKind> Kinds { get; init; } = [];

    /// <summary>Every device a cause of the incident came from, in the order they came.</summary>
    [Id(19)]
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>What the centre's rules saw behind its causes, oldest first: the readings that fired each and the limit they crossed (empty for a device's own alarm).</summary>
    [Id(20)]
    public IReadOnlyList<AlarmFinding> Findings { get; init; } = [];

    /// <summary>A cause reached the centre late (buffered while the device was offline): the delay is in <see cref="Anomalies"/>.</summary>
    public bool Late => Anomalies.Any(a => a.Kind == EventAnomalyKind.ArrivedLate);
}

/// <summary>One step in an alarm's life: what happened, when, and who did it.</summary>
/// <param name="At">When.</param>
/// <param name="Type">What, as a snake_case word (raised, offered, sms_queued, escalated, accepted …).</param>
/// <param name="Actor">Who: <c>device:ID</c>, <c>seat:ID</c> or <c>system</c>.</param>
/// <param name="Detail">Human-readable detail, in the reader's language where the API knows the entry's values.</param>
/// <param name="Title">What happened, in the reader's language ("报警触发" / "Alarm raised").</param>
[GenerateSerializer, Immutable]
public sealed record AlarmTimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Type,
    [property: Id(2)] string Actor,
    [property: Id(3)] string? Detail,
    [property: Id(4)] string? Title = null);
