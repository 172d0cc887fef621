using ElderIoT.Contracts.Alarms;

namespace ElderIoT.Records;

// Entities are plain persistence shapes. The grain named in each summary is the only code that
// writes them; the API reads them for lists and history.

/// <summary>An elder record (老人档案). Written by the elder grain.</summary>
public sealed class ElderRecord
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? Phone { get; set; }
    public required string Address { get; set; }
    public required string District { get; set; }
    public double? HomeLat { get; set; }
    public double? HomeLon { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? Sex { get; set; }
    public string? CareLevel { get; set; }
    public List<string> Conditions { get; set; } = [];
    public List<string> Medications { get; set; } = [];
    public required string Language { get; set; }
    public List<ContactRecord> Contacts { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A family or emergency contact; <see cref="Position"/> orders who is called first.</summary>
public sealed class ContactRecord
{
    public long Id { get; set; }
    public Guid ElderId { get; set; }
    public int Position { get; set; }
    public required string Name { get; set; }
    public required string Relation { get; set; }
    public required string Phone { get; set; }
    public required string Language { get; set; }
}

/// <summary>A registered device. Written by the device grain.</summary>
public sealed class DeviceRecord
{
    public required string Id { get; set; }
    public required string Kind { get; set; }
    public Guid ElderId { get; set; }

    /// <summary>Set for a responder's own device (its ElderId is then empty): its fixes move the responder.</summary>
    public string? ResponderId { get; set; }

    /// <summary>
    /// PBKDF2 hash of the device secret with its own salt (<c>pbkdf2-sha256$iterations$salt$hash</c>), or,
    /// from before that, a bare base64 SHA-256 that is re-hashed at the next good login. The secret itself
    /// is never stored.
    /// </summary>
    public required string SecretHash { get; set; }

    public bool Disabled { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public double? LastLat { get; set; }
    public double? LastLon { get; set; }
    public double? LastAccuracy { get; set; }
    public DateTimeOffset? LastPositionAt { get; set; }
    public int? Battery { get; set; }

    /// <summary>The last heart rate reported, kept like the battery so the device card survives a restart.</summary>
    public int? LastHeartRate { get; set; }

    /// <summary>Set when a device_silent alarm was raised for it, cleared when it speaks again (docs/alarm-rules.md).</summary>
    public DateTimeOffset? SilentSince { get; set; }

    /// <summary>Its own expected reporting interval; null takes its kind's (<c>AlarmRules:ReportEvery</c>).</summary>
    public int? ReportEverySeconds { get; set; }
}

/// <summary>
/// One device event as received. The unique (DeviceId, EventId, ContentKey) index is what makes a
/// re-sent event idempotent, while a reused id with another type or device time is a new event.
/// Written by the alarm grain for alarm events (in the same transaction as the alarm), by the
/// device grain otherwise.
/// </summary>
public sealed class DeviceEventRecord
{
    public long Id { get; set; }
    public required string DeviceId { get; set; }
    public required string EventId { get; set; }
    public required string Type { get; set; }

    /// <summary>Type and device time (<c>sos@1764039540000</c>, <c>sos@-</c> without one): with the id, what a resend repeats.</summary>
    public required string ContentKey { get; set; }

    /// <summary>When it happened as best known: the device's time when plausible, else the receipt time.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The time exactly as the device reported it, right or wrong; null when it sent none.</summary>
    public DateTimeOffset? DeviceTime { get; set; }

    /// <summary>What was wrong around the event (<c>clock_ahead: device clock 1 h ahead…</c>), one entry each.</summary>
    public List<string> Anomalies { get; set; } = [];

    public DateTimeOffset ReceivedAt { get; set; }
    public double? Lat { get; set; }
    public double? Lon { get; set; }
    public double? Accuracy { get; set; }
    public Guid? AlarmId { get; set; }
}

/// <summary>An alarm and where it stands. Written by the alarm grain.</summary>
public sealed class AlarmRecord
{
    public Guid Id { get; set; }
    public Guid ElderId { get; set; }
    public required string District { get; set; }
    /// <summary>The most severe kind of the incident (the first among equals); <see cref="Sources"/> has them all.</summary>
    public required string Kind { get; set; }
    public required string Status { get; set; }

    /// <summary>
    /// The highest severity of the incident's causes. Stored as its number, unlike the other enums, so
    /// that a queue sorts by it in SQL (critical first).
    /// </summary>
    public AlarmSeverity Severity { get; set; } = AlarmSeverity.Critical;

    /// <summary>Every cause of the incident as <c>kind:deviceId</c>, in the order they came (<c>smoke:s1</c>, <c>gas:s2</c>).</summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>The causes a centre rule has said are gone (same form as <see cref="Sources"/>).</summary>
    public List<string> ClearedSources { get; set; } = [];

    /// <summary>When the incident's last cause came: a cause later than the incident window after it starts a new incident.</summary>
    public DateTimeOffset LastEventAt { get; set; }

    public bool Overdue { get; set; }

    /// <summary>How many escalation steps have been taken (1 once the first offer went out), over every ladder it walked.</summary>
    public int EscalationLevel { get; set; }

    /// <summary>When the ladder of the current severity started: the raise, or the cause that raised the severity.</summary>
    public DateTimeOffset LadderStartedAt { get; set; }

    /// <summary><see cref="EscalationLevel"/> when the current ladder started (steps keep counting up, so a step's texts stay unique).</summary>
    public int LadderStartLevel { get; set; }

    /// <summary>When the next escalation step is due; null when none is (accepted, resolved, ladder done).</summary>
    public DateTimeOffset? NextStepDueAt { get; set; }

    public DateTimeOffset RaisedAt { get; set; }
    public required string DeviceId { get; set; }
    public double? Lat { get; set; }
    public double? Lon { get; set; }
    public double? Accuracy { get; set; }
    public string? AcceptedBy { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? Outcome { get; set; }
    public string? Notes { get; set; }
    public bool CancelRequested { get; set; }

    /// <summary>What was wrong around the events of the alarm, for the seat (<c>position_refused: position missing…</c>).</summary>
    public List<string> Anomalies { get; set; } = [];

    /// <summary>What the centre's rules saw behind its causes (the readings, the threshold), one JSON document each (<see cref="RecordMappings.ToStored(Contracts.Alarms.AlarmFinding)"/>).</summary>
    public List<string> Findings { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One entry of an alarm's timeline. Written by the alarm grain.</summary>
public sealed class AlarmTimelineRecord
{
    public long Id { get; set; }
    public Guid AlarmId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Type { get; set; }
    public required string Actor { get; set; }

    /// <summary>The English text as the record keeps it (for operators reading the database, and entries older than <see cref="Parameters"/>).</summary>
    public string? Detail { get; set; }

    /// <summary>What the entry says, as values (a kind, a device id, seconds …): the API renders them in the reader's language by <see cref="Type"/>.</summary>
    public List<string> Parameters { get; set; } = [];
}

/// <summary>
/// One text or call to one contact for one escalation step. The unique (AlarmId, Step, Channel, Recipient)
/// index is what keeps a step from texting the same contact twice, even across a restart.
/// Created by the alarm grain; its delivery state is written by the notification grain.
/// </summary>
public sealed class NotificationRecord
{
    public Guid Id { get; set; }
    public Guid AlarmId { get; set; }
    public int Step { get; set; }
    public required string Channel { get; set; }
    public required string RecipientName { get; set; }
    public required string Recipient { get; set; }
    public required string Language { get; set; }
    public required string Body { get; set; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public string? ProviderMessageId { get; set; }

    /// <summary>The provider's last word on a call (queued, ringing, in_progress, completed, busy, no_answer, failed, canceled).</summary>
    public string? ProviderStatus { get; set; }

    /// <summary>Order within the step's call tree (the contact's position); 0 for texts.</summary>
    public int Sequence { get; set; }

    /// <summary>When the contact confirmed they are going (pressed 1 during this call).</summary>
    public DateTimeOffset? RespondedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A call seat's duty status. Written by the seat grain.</summary>
public sealed class SeatRecord
{
    public required string Id { get; set; }
    public bool Online { get; set; }
    public List<string> Districts { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
}
