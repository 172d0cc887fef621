using ElderIoT.Contracts.Alarms;

namespace ElderIoT.Rules;

/// <summary>
/// Whether a device is silent: it has spoken before (a device never switched on is not yet
/// installed) and not within its expected reporting interval. The one place the sweeper, the device
/// grain and the device card ask.
/// </summary>
public static class SilenceRule
{
    public static bool IsSilent(DateTimeOffset? lastSeenAt, TimeSpan interval, DateTimeOffset now) =>
        lastSeenAt is { } seen && now - seen > interval;
}

/// <summary>
/// Low battery with hysteresis: raised at or below <see cref="Threshold"/> (from a reading or the
/// device's own low_battery event), recovered only once the battery is back above the threshold by
/// <see cref="RecoverMargin"/> (a battery at the line that flickers 15, 16, 15 raises once).
/// </summary>
public sealed class BatteryRule(int threshold, int recoverMargin = 10)
{
    private bool _raised;

    public int Threshold { get; } = threshold;

    public int RecoverMargin { get; } = recoverMargin;

    public bool IsLow => _raised;

    /// <summary>Restores what the records knew (a node restart must not raise a low battery twice).</summary>
    public void Restore(bool low) => _raised = low;

    public RuleChange Level(int? percent)
    {
        if (percent is not { } p)
        {
            return RuleChange.None;
        }

        if (!_raised && p <= Threshold)
        {
            _raised = true;
            return RuleChange.Raised;
        }

        if (_raised && p > Threshold + RecoverMargin)
        {
            _raised = false;
            return RuleChange.Recovered;
        }

        return RuleChange.None;
    }

    /// <summary>What the seat sees: the reading at or below the threshold (none when the device's own event said so).</summary>
    public CentreAlarmDetail Detail(int? percent, DateTimeOffset at) =>
        new(percent is { } p ? [new AlarmReading(AlarmReadingKind.Battery, p, at)] : []) { Threshold = Threshold };

    /// <summary>The device said so itself.</summary>
    public RuleChange LowBatteryEvent()
    {
        if (_raised)
        {
            return RuleChange.None;
        }

        _raised = true;
        return RuleChange.Raised;
    }
}

/// <summary>
/// A watch not worn (<c>worn=false</c> in its readings) for longer than <see cref="Limit"/> of the
/// elder's waking time (<see cref="ElderDay"/>): taken off for a shower is nothing, left on the table
/// all day is, and taken off for the night is nothing until the night is over and the limit has passed
/// again (off at 23:30: not worn at 07:30). Recovered when it is worn again.
/// </summary>
public sealed class NotWornRule(ElderDay day, TimeSpan limit)
{
    private DateTimeOffset? _offSince;
    private bool _raised;

    public TimeSpan Limit { get; } = limit;

    public ElderDay Day { get; } = day;

    public DateTimeOffset? OffSince => _offSince;

    public RuleChange Worn(bool? worn, DateTimeOffset at)
    {
        switch (worn)
        {
            case false:
                _offSince ??= at;
                if (!_raised && Day.AwakeTime(_offSince.Value, at) >= Limit)
                {
                    _raised = true;
                    return RuleChange.Raised;
                }

                return RuleChange.None;
            case true:
                _offSince = null;
                if (_raised)
                {
                    _raised = false;
                    return RuleChange.Recovered;
                }

                return RuleChange.None;
            default:
                return RuleChange.None;
        }
    }

    /// <summary>What the seat sees: how long off the wrist in waking time, against the limit.</summary>
    public CentreAlarmDetail Detail(DateTimeOffset at) => new([])
    {
        Lasted = _offSince is { } since ? Day.AwakeTime(since, at) : null,
        Limit = Limit,
    };
}

/// <summary>A door opened: an alarm during the elder's night hours, otherwise only recorded.</summary>
public static class DoorRule
{
    public static bool RaisesAlarm(DateTimeOffset openedAt, DailyWindow nightHours, TimeZoneInfo zone) => nightHours.Contains(openedAt, zone);
}
