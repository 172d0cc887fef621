using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Alarms;

/// <summary>
/// One alarm, keyed by its id: the single writer of the alarm record and its timeline. It walks the
/// escalation ladder until a seat accepts, and it alone decides who may accept and resolve it.
/// </summary>
public interface IAlarmGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Creates the alarm from the event that raised it and durably records both before returning.
    /// Escalation's first step follows right after.
    /// </summary>
    Task<AlarmSnapshot> RaiseAsync(Guid elderId, string district, AlarmKind kind, DeviceEvent trigger);

    /// <summary>Adds a further alarm event of the same elder; false when the alarm is already resolved.</summary>
    Task<bool> JoinAsync(AlarmKind kind, DeviceEvent deviceEvent);

    /// <summary>Records an elder's cancel on the timeline; false when the alarm is already resolved.</summary>
    Task<bool> RecordCancelAsync(DeviceEvent deviceEvent);

    /// <summary>A seat takes the alarm.</summary>
    /// <exception cref="AlarmConflictException">Another seat holds it, or it is resolved.</exception>
    Task<AlarmSnapshot> AcceptAsync(string seatId);

    /// <summary>The seat that holds the alarm closes it.</summary>
    /// <exception cref="AlarmConflictException">The seat does not hold it.</exception>
    Task<AlarmSnapshot> ResolveAsync(string seatId, AlarmOutcome outcome, string? notes);

    /// <summary>
    /// Puts what became of a notification on the timeline (sent, failed, not sent) and tells the seats,
    /// so that a seat knows whether the family has been reached.
    /// </summary>
    [OneWay]
    Task RecordNotificationOutcomeAsync(string recipient, string status, string? detail);

    /// <summary>
    /// Puts a note of the centre's on the timeline and tells the seats: what a zone crossing looked
    /// like (last positions, distance from home), a locate request and its answer.
    /// </summary>
    Task RecordNoteAsync(string type, string detail);

    /// <summary>Takes every escalation step that is due by now; a no-op when none is.</summary>
    Task AdvanceEscalationAsync();

    /// <summary>The alarm, or null when there is none with this id.</summary>
    Task<AlarmSnapshot?> GetAsync();
}
