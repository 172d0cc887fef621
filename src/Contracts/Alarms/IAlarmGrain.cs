using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Notifications;

namespace ElderIoT.Contracts.Alarms;

/// <summary>
/// One alarm (an incident: one or more causes of one elder close in time), keyed by its id: the single
/// writer of the alarm record and its timeline. It walks the escalation ladder of its severity until a
/// seat accepts, and it alone decides who may accept and resolve it.
/// </summary>
public interface IAlarmGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Creates the incident from its first cause and durably records both before returning. The first
    /// escalation step is stored with it; seats and texts are told right after.
    /// </summary>
    /// <param name="elder">The elder as the elder grain holds them (no read of the records before the PUBACK).</param>
    /// <param name="trigger">The first cause.</param>
    Task<AlarmSnapshot> RaiseAsync(AlarmElder elder, AlarmTrigger trigger);

    /// <summary>
    /// Adds a further cause of the same elder. A more severe cause raises the incident's severity and
    /// starts the ladder of that severity afresh.
    /// </summary>
    /// <returns>Whether it joined, or why a new incident must be raised instead.</returns>
    Task<JoinResult> JoinAsync(AlarmElder elder, AlarmTrigger trigger);

    /// <summary>
    /// Records an elder's cancel. It covers only the causes the cancelling device raised and the
    /// elder's SOS; what it does not cover is recorded as ignored for scope.
    /// </summary>
    Task<CancelScope> RecordCancelAsync(DeviceEvent deviceEvent);

    /// <summary>
    /// A centre rule says the cause it raised (<paramref name="kind"/> from <paramref name="deviceId"/>) has gone.
    /// The alarm resolves itself (<see cref="AlarmOutcome.SelfCleared"/>) only when nobody took it and no
    /// other cause remains; otherwise the recovery goes on the timeline.
    /// </summary>
    Task<AlarmClearResult> ClearAsync(AlarmKind kind, string deviceId, AlarmRecovery reason);

    /// <summary>A seat takes the alarm.</summary>
    /// <exception cref="AlarmConflictException">Another seat holds it, or it is resolved.</exception>
    Task<AlarmSnapshot> AcceptAsync(string seatId);

    /// <summary>The seat that holds the alarm closes it.</summary>
    /// <exception cref="AlarmConflictException">The seat does not hold it.</exception>
    Task<AlarmSnapshot> ResolveAsync(string seatId, AlarmOutcome outcome, string? notes);

    /// <summary>
    /// Puts what became of a notification on the timeline (sent, delivered, failed, not sent) and tells
    /// the seats, so that a seat knows whether the family has been reached.
    /// </summary>
    [OneWay]
    Task RecordNotificationOutcomeAsync(string recipient, NotificationStatus status, string? detail);

    /// <summary>
    /// Puts how a family call went on the timeline (placed, busy, not answered, answered without a 1…)
    /// and tells the seats, so that a seat sees the call tree move.
    /// </summary>
    [OneWay]
    Task RecordCallOutcomeAsync(string recipient, CallOutcome outcome, string? detail);

    /// <summary>
    /// A family contact answered (a text reply, a keypress): "going" or a message. Put on the timeline
    /// and shown to the seats at once, with who and what in the notice.
    /// </summary>
    Task RecordFamilyResponseAsync(FamilyResponse response);

    /// <summary>
    /// Puts a note of the centre's on the timeline and tells the seats: what a zone crossing looked
    /// like (last positions, distance from home), a locate request and its answer.
    /// </summary>
    Task RecordNoteAsync(AlarmChange type, string detail);

    /// <summary>
    /// A person of the centre writes a note on the alarm before it is resolved: it goes on the timeline
    /// with its author and time, and the seats that see the alarm (and the one holding it) are told.
    /// </summary>
    /// <returns>The timeline entry as stored (its title is the API's to add).</returns>
    /// <exception cref="AlarmConflictException">The alarm is resolved.</exception>
    Task<AlarmTimelineEntry> AddNoteAsync(AlarmNoteAuthor author, string text);

    /// <summary>Takes every escalation step that is due by now; a no-op when none is.</summary>
    Task AdvanceEscalationAsync();

    /// <summary>The alarm, or null when there is none with this id.</summary>
    Task<AlarmSnapshot?> GetAsync();
}
