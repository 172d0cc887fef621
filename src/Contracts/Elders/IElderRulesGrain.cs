using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Elders;

/// <summary>
/// The elder's detection rules (vitals, inactivity) over the readings their devices forward, and the one
/// entry through which device rules (silence, battery, not worn) raise and recover alarms for the elder.
/// Implemented by the elder grain, which holds the live state; keyed by the elder id.
/// </summary>
public interface IElderRulesGrain : IGrainWithGuidKey
{
    /// <summary>Readings with vitals or steps, forwarded by a device behind its telemetry path; never awaited by it.</summary>
    [OneWay]
    Task ReportReadingsAsync(string deviceId, IReadOnlyList<TelemetryReading> readings);

    /// <summary>Raises (or joins the elder's open alarm with) what a device rule confirmed; returns once recorded.</summary>
    Task<Guid> RaiseRuleAlarmAsync(RuleAlarm alarm);

    /// <summary>Records that what a rule raised is over (and closes the alarm when nobody took it, once the alarm engine can).</summary>
    Task RecoverRuleAlarmAsync(RuleAlarm recovery);

    /// <summary>The vitals limits in force: the care level's defaults with the elder's own values.</summary>
    /// <exception cref="ElderNotFoundException">No such elder.</exception>
    Task<VitalThresholds> GetVitalThresholdsAsync();

    /// <summary>Replaces the elder's own vitals limits (nulls take the defaults) and returns those in force.</summary>
    /// <exception cref="ElderNotFoundException">No such elder.</exception>
    /// <exception cref="ArgumentException">A limit is out of its range (<see cref="VitalThresholdsOverride.Problems"/>).</exception>
    Task<VitalThresholds> SetVitalThresholdsAsync(VitalThresholdsOverride thresholds);
}
