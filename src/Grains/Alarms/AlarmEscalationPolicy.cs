using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Seats;
using ElderIoT.Records;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// Escalation timing: the ladder of each severity, which step comes next and when it is due.
/// Deadlines are counted from when the ladder started, so a step that fell due while the process was
/// down is due at once afterwards.
/// </summary>
public sealed class AlarmEscalationPolicy
{
    private readonly Dictionary<AlarmSeverity, IReadOnlyList<EscalationStep>> _ladders;

    public AlarmEscalationPolicy(IOptions<EscalationOptions> options)
    {
        var o = options.Value;
        _ladders = new()
        {
            [AlarmSeverity.Critical] = Ordered(o.Steps, EscalationOptions.DefaultSteps),
            [AlarmSeverity.High] = Ordered(o.Ladders.High, EscalationOptions.DefaultHighSteps),
            [AlarmSeverity.Medium] = Ordered(o.Ladders.Medium, EscalationOptions.DefaultMediumSteps),
            [AlarmSeverity.Low] = Ordered(o.Ladders.Low, EscalationOptions.DefaultLowSteps),
        };
        IncidentWindow = o.IncidentWindow;
        LateAfter = o.LateAfter;
    }

    /// <summary>Causes within this time of an incident's last cause join it.</summary>
    public TimeSpan IncidentWindow { get; }

    /// <summary>An event older than this on arrival is flagged late.</summary>
    public TimeSpan LateAfter { get; }

    /// <summary>The ladder an alarm of this severity walks.</summary>
    public IReadOnlyList<EscalationStep> Ladder(AlarmSeverity severity) => _ladders[severity];

    /// <summary>The step of the alarm's current ladder that comes next; null at its top.</summary>
    public EscalationStep? NextStep(AlarmRecord alarm)
    {
        var ladder = Ladder(alarm.Severity);
        var index = alarm.EscalationLevel - alarm.LadderStartLevel;
        return index >= 0 && index < ladder.Count ? ladder[index] : null;
    }

    /// <summary>When the alarm's next step falls due; null at the top of its ladder.</summary>
    public DateTimeOffset? NextDueAt(AlarmRecord alarm) =>
        NextStep(alarm) is { } step ? alarm.LadderStartedAt + step.After : null;

    /// <summary>
    /// How far an alarm has been offered: to every seat once a step of its ladder offered it to all, or
    /// once it is overdue (then every seat, supervisors among them, must see it); to its district's
    /// seats before. The offers, the change notices and the replay a reconnecting screen gets all ask
    /// this, so they agree.
    /// </summary>
    public SeatReach ReachOf(AlarmRecord alarm) =>
        alarm.Overdue || Ladder(alarm.Severity).Take(Math.Max(0, alarm.EscalationLevel - alarm.LadderStartLevel)).Any(s => s.Seats == SeatAudience.All)
            ? SeatReach.All
            : SeatReach.District;

    private static IReadOnlyList<EscalationStep> Ordered(List<EscalationStep> configured, IReadOnlyList<EscalationStep> fallback) =>
        configured.Count > 0 ? [.. configured.OrderBy(s => s.After)] : fallback;
}
