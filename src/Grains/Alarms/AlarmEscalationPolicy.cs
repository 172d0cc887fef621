using ElderIoT.Contracts.Seats;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// Reads the escalation ladder: which step comes next and when it is due. Deadlines are counted
/// from the raise, so a step that fell due while the process was down is due at once afterwards.
/// </summary>
public sealed class AlarmEscalationPolicy
{
    private readonly IReadOnlyList<EscalationStep> _steps;

    public AlarmEscalationPolicy(IOptions<EscalationOptions> options)
    {
        var configured = options.Value.Steps;
        _steps = configured.Count > 0 ? [.. configured.OrderBy(s => s.After)] : EscalationOptions.DefaultSteps;
    }

    /// <summary>Number of steps on the ladder.</summary>
    public int StepCount => _steps.Count;

    /// <summary>The step at a 0-based level.</summary>
    public EscalationStep this[int level] => _steps[level];

    /// <summary>When the step after <paramref name="stepsTaken"/> steps falls due; null at the top of the ladder.</summary>
    public DateTimeOffset? NextDueAt(DateTimeOffset raisedAt, int stepsTaken) =>
        stepsTaken < _steps.Count ? raisedAt + _steps[stepsTaken].After : null;

    /// <summary>
    /// How far an alarm has been offered after <paramref name="stepsTaken"/> steps: to every seat once a
    /// step offered it to all, or once it is overdue (then every seat, supervisors among them, must
    /// see it); to its district's seats before. The offers, the change notices and the replay a
    /// reconnecting screen gets all ask this, so they agree.
    /// </summary>
    public SeatReach ReachOf(int stepsTaken, bool overdue) =>
        overdue || _steps.Take(stepsTaken).Any(s => s.Seats == SeatAudience.All) ? SeatReach.All : SeatReach.District;
}
