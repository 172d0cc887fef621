using System.Globalization;
using ElderIoT.Contracts.Alarms;

namespace ElderIoT.Rules;

/// <summary>
/// No steps and no motion for <see cref="InactiveAfter"/> of the elder's waking time (<see cref="ElderDay"/>:
/// active hours 07:00–22:00 by default, in the elder's zone): a night's sleep does not count, a morning in bed does. Activity is a step
/// counter that went up, or motion a home sensor saw (a door opened). A watch off the wrist says
/// nothing about the elder, so readings marked not worn neither count as activity nor raise; the
/// not-worn rule speaks for them. Recovers at the next activity.
/// </summary>
public sealed class InactivityRule(ElderDay day, TimeSpan inactiveAfter)
{
    private DateTimeOffset? _lastActiveAt;
    private int? _lastSteps;
    private bool _raised;

    public ElderDay Day { get; } = day;

    public TimeSpan InactiveAfter { get; } = inactiveAfter;

    /// <summary>Since when the elder has shown no activity (the rule's first reading when none yet).</summary>
    public DateTimeOffset? LastActiveAt => _lastActiveAt;

    /// <summary>A reading of the elder's step counter (null when the reading had none) at <paramref name="now"/>.</summary>
    public RuleChange Steps(int? steps, bool? worn, DateTimeOffset now)
    {
        if (worn == false)
        {
            return RuleChange.None;
        }

        if (steps is { } s)
        {
            var moved = _lastSteps is { } previous && s > previous;
            _lastSteps = s; // A counter that went down was reset (a new day, a reboot): a new baseline, not activity.
            if (moved)
            {
                return Active(now);
            }
        }

        _lastActiveAt ??= now;
        return Check(now);
    }

    /// <summary>Motion seen by a home sensor.</summary>
    public RuleChange Motion(DateTimeOffset now) => Active(now);

    /// <summary>Whether the elder has been inactive long enough by now; raises once until the next activity.</summary>
    public RuleChange Check(DateTimeOffset now)
    {
        if (_raised || _lastActiveAt is not { } since || Day.AwakeTime(since, now) < InactiveAfter)
        {
            return RuleChange.None;
        }

        _raised = true;
        return RuleChange.Raised;
    }

    /// <summary>The English detail for the alarm's timeline.</summary>
    public string Describe(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"no steps or motion since {_lastActiveAt:yyyy-MM-dd HH:mm}Z: {Day.AwakeTime(_lastActiveAt ?? now, now).TotalHours:0.#} h within active hours {Day.ActiveHours} (limit {InactiveAfter.TotalHours:0.#} h)");

    /// <summary>What the seat sees: how long without activity (waking time) against the limit, and the step counter as it stood.</summary>
    public CentreAlarmDetail Detail(DateTimeOffset now) => new(_lastSteps is { } steps ? [new AlarmReading(AlarmReadingKind.Steps, steps, now)] : [])
    {
        Lasted = Day.AwakeTime(_lastActiveAt ?? now, now),
        Limit = InactiveAfter,
    };

    private RuleChange Active(DateTimeOffset now)
    {
        _lastActiveAt = _lastActiveAt is { } last && last > now ? last : now;
        if (!_raised)
        {
            return RuleChange.None;
        }

        _raised = false;
        return RuleChange.Recovered;
    }
}
