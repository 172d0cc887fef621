using System.Diagnostics.Metrics;

namespace ElderIoT.Grains.Rules;

/// <summary>Detection rule counters (meter <c>ElderIoT.Rules</c>): per rule, what it decided.</summary>
public sealed class RuleMetrics
{
    public const string MeterName = "ElderIoT.Rules";

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _outages;

    public RuleMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _decisions = meter.CreateCounter<long>("elderiot.rules.decisions", description: "Rule decisions, by rule and reason (raised, recovered, suppressed...).");
        _outages = meter.CreateCounter<long>("elderiot.rules.outages", description: "Mass outages, by reason (started, ended).");
    }

    /// <summary>A rule decided something: <paramref name="rule"/> is vitals, inactivity, door, device_silent, low_battery, not_worn; the reason what.</summary>
    public void Decided(string rule, string reason) =>
        _decisions.Add(1, new KeyValuePair<string, object?>("rule", rule), new KeyValuePair<string, object?>("reason", reason));

    public void Outage(string reason) => _outages.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
