using System.Diagnostics.Metrics;

namespace ElderIoT.Grains.Alarms;

/// <summary>Alarm counters and timings (meter <c>ElderIoT.Alarms</c>).</summary>
public sealed class AlarmMetrics
{
    public const string MeterName = "ElderIoT.Alarms";

    private readonly Counter<long> _raised;
    private readonly Counter<long> _joined;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _resolved;
    private readonly Histogram<double> _timeToAccept;
    private readonly Counter<long> _escalatedAtOnce;
    private readonly Histogram<double> _timeToOffer;

    public AlarmMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _raised = meter.CreateCounter<long>("elderiot.alarms.raised", description: "Alarms raised, by kind.");
        _joined = meter.CreateCounter<long>("elderiot.alarms.joined", description: "Causes that joined an open incident, by result (joined, upgraded).");
        _escalations = meter.CreateCounter<long>("elderiot.alarms.escalation_steps", description: "Escalation steps taken, by level.");
        _resolved = meter.CreateCounter<long>("elderiot.alarms.resolved", description: "Alarms resolved, by outcome.");
        _escalatedAtOnce = meter.CreateCounter<long>("elderiot.alarms.escalated_at_once",
            description: "Alarms taken to the top of the ladder at once (overdue, every contact texted), by reason.");
        _timeToAccept = meter.CreateHistogram<double>("elderiot.alarms.time_to_accept", unit: "s", description: "From raise to a seat accepting.");
        _timeToOffer = meter.CreateHistogram<double>("elderiot.alarms.time_to_offer", unit: "ms",
            description: "From an alarm's raise to its first offer handed to the seats' screens (SOS → seat, less the gateway's part).");
    }

    public void Raised(string kind) => _raised.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Joined(string result) => _joined.Add(1, new KeyValuePair<string, object?>("result", result));

    public void EscalationStep(int level) => _escalations.Add(1, new KeyValuePair<string, object?>("level", level));

    public void Resolved(string outcome) => _resolved.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void EscalatedAtOnce(string reason) => _escalatedAtOnce.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Accepted(TimeSpan afterRaise) => _timeToAccept.Record(afterRaise.TotalSeconds);

    public void Offered(TimeSpan afterRaise) => _timeToOffer.Record(afterRaise.TotalMilliseconds);
}
