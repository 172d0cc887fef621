using ElderIoT.Contracts.Devices;
using ElderIoT.Rules;

namespace ElderIoT.Grains.Rules;

/// <summary>The detection rules' defaults (section <c>AlarmRules</c>, docs/alarm-rules.md). Vitals limits default by care level, not here.</summary>
public sealed class AlarmRulesOptions
{
    public const string SectionName = "AlarmRules";

    /// <summary>Local hours (centre's zone, <c>Notifications:TimeZone</c>) in which inactivity counts.</summary>
    public string ActiveHours { get; set; } = "07:00-22:00";

    /// <summary>Local hours in which a door opening raises an alarm; outside them it is only recorded.</summary>
    public string NightHours { get; set; } = "22:00-06:00";

    /// <summary>No steps or motion for this long within active hours raises inactivity.</summary>
    public TimeSpan InactiveAfter { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Battery percent at or below which low_battery is raised (recovered 10 points above).</summary>
    public int BatteryLow { get; set; } = 15;

    /// <summary>A watch reporting worn=false for this long raises not_worn.</summary>
    public TimeSpan NotWornAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Expected reporting interval per device kind; a device may have its own.</summary>
    public ReportIntervals ReportEvery { get; set; } = new();

    /// <summary>How often the supervision sweep looks for silent devices.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>False turns device supervision (silence, outages) off: for test clusters whose clock jumps.</summary>
    public bool SupervisionEnabled { get; set; } = true;

    /// <summary>What makes a mass outage.</summary>
    public OutageOptions Outage { get; set; } = new();

    public DailyWindow ActiveWindow => DailyWindow.Parse(ActiveHours);

    public DailyWindow NightWindow => DailyWindow.Parse(NightHours);

    public TimeSpan IntervalFor(DeviceKind kind) => kind switch
    {
        DeviceKind.Watch => ReportEvery.Watch,
        DeviceKind.Handset => ReportEvery.Handset,
        _ => ReportEvery.Sensor,
    };

    /// <summary>The shortest interval of any kind: the sweep's first filter.</summary>
    public TimeSpan ShortestInterval => new[] { ReportEvery.Watch, ReportEvery.Handset, ReportEvery.Sensor }.Min();

    /// <summary>Whether the options make sense; the error names the key.</summary>
    public string? Invalid()
    {
        try
        {
            _ = ActiveWindow;
            _ = NightWindow;
        }
        catch (FormatException exception)
        {
            return $"AlarmRules:ActiveHours/NightHours: {exception.Message}";
        }

        return InactiveAfter <= TimeSpan.Zero ? "AlarmRules:InactiveAfter must be positive."
            : BatteryLow is < 1 or > 90 ? "AlarmRules:BatteryLow must be 1..90."
            : NotWornAfter <= TimeSpan.Zero ? "AlarmRules:NotWornAfter must be positive."
            : ShortestInterval <= TimeSpan.Zero ? "AlarmRules:ReportEvery:* must be positive."
            : SweepInterval <= TimeSpan.Zero ? "AlarmRules:SweepInterval must be positive."
            : Outage.Window <= TimeSpan.Zero || Outage.MinDevices < 2 || Outage.MinShare is <= 0 or > 1 || Outage.EndShare is < 0 or >= 1 || Outage.ScopeDepth < 1
                ? "AlarmRules:Outage: Window > 0, MinDevices >= 2, MinShare in (0, 1], EndShare in [0, 1), ScopeDepth >= 1."
            : null;
    }
}

/// <summary>Expected reporting interval per device kind.</summary>
public sealed class ReportIntervals
{
    /// <summary>A watch sends readings every minute or so.</summary>
    public TimeSpan Watch { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A handset sends a heartbeat at least hourly.</summary>
    public TimeSpan Handset { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A home sensor sends a daily heartbeat.</summary>
    public TimeSpan Sensor { get; set; } = TimeSpan.FromHours(25);
}

/// <summary>Mass outage thresholds (<see cref="OutageSettings"/>).</summary>
public sealed class OutageOptions
{
    public TimeSpan Window { get; set; } = OutageSettings.Default.Window;

    public int MinDevices { get; set; } = OutageSettings.Default.MinDevices;

    public double MinShare { get; set; } = OutageSettings.Default.MinShare;

    public int MinDevicesForShare { get; set; } = OutageSettings.Default.MinDevicesForShare;

    public double EndShare { get; set; } = OutageSettings.Default.EndShare;

    public int ScopeDepth { get; set; } = OutageSettings.Default.ScopeDepth;

    public OutageSettings ToSettings() => new(Window, MinDevices, MinShare, MinDevicesForShare, EndShare, ScopeDepth);
}
