using System.Diagnostics.Metrics;

namespace ElderIoT.Grains.Geofences;

/// <summary>Geofence counters (meter <c>ElderIoT.Geofences</c>).</summary>
public sealed class GeofenceMetrics
{
    public const string MeterName = "ElderIoT.Geofences";

    private readonly Counter<long> _evaluated;
    private readonly Counter<long> _ignored;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _locates;

    public GeofenceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _evaluated = meter.CreateCounter<long>("elderiot.geofences.fixes_evaluated", description: "Fixes judged against an elder's zones.");
        _ignored = meter.CreateCounter<long>("elderiot.geofences.fixes_ignored", description: "Fixes not used for zones, by reason (no_accuracy, absurd_accuracy, out_of_order).");
        _transitions = meter.CreateCounter<long>("elderiot.geofences.transitions", description: "Confirmed zone crossings, by kind and crossing.");
        _locates = meter.CreateCounter<long>("elderiot.geofences.locates", description: "Locate-now requests, by how they ended (fresh, stale, unknown).");
    }

    public void Evaluated() => _evaluated.Add(1);

    public void Ignored(string reason) => _ignored.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Transition(string kind, string crossing) =>
        _transitions.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("crossing", crossing));

    public void Located(string status) => _locates.Add(1, new KeyValuePair<string, object?>("reason", status));
}
