using System.Diagnostics.Metrics;

namespace ElderIoT.Gateway.Hosting;

/// <summary>Broker counters (meter <c>ElderIoT.Gateway</c>): what came in, what was refused and why.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "ElderIoT.Gateway";

    private readonly Counter<long> _connections;
    private readonly Counter<long> _refusedConnections;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _readings;
    private readonly Counter<long> _limited;
    private readonly Histogram<double> _eventLatency;
    private readonly Counter<long> _telemetryShed;
    private readonly Counter<long> _telemetryHeld;
    private readonly Counter<long> _eventAnomalies;
    private long _connected;
    private long _readingsProcessed;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _connections = meter.CreateCounter<long>("elderiot.gateway.connections", description: "Device connections accepted.");
        _refusedConnections = meter.CreateCounter<long>("elderiot.gateway.connections_refused", description: "Device connections refused, by reason.");
        _messages = meter.CreateCounter<long>("elderiot.gateway.messages", description: "Messages received from devices, by topic kind.");
        _rejected = meter.CreateCounter<long>("elderiot.gateway.messages_rejected", description: "Messages refused, by reason.");
        _readings = meter.CreateCounter<long>("elderiot.gateway.readings_processed", description: "Telemetry readings handed to device grains.");
        _limited = meter.CreateCounter<long>("elderiot.gateway.connections_limited", description: "Clients that ran into a connection limit (closed, or slowed before login), by reason and listener.");
        _eventLatency = meter.CreateHistogram<double>("elderiot.gateway.event_duration", unit: "ms", description: "From an event's arrival to its durable record (the PUBACK).");
        _telemetryShed = meter.CreateCounter<long>("elderiot.gateway.telemetry_shed", description: "QoS 0 telemetry messages dropped because the node was at its bound of telemetry in flight, by reason.");
        _telemetryHeld = meter.CreateCounter<long>("elderiot.gateway.telemetry_held", description: "QoS 1 telemetry messages that waited for room (their PUBACK withheld) at the bound of telemetry in flight.");
        _eventAnomalies = meter.CreateCounter<long>("elderiot.gateway.event_anomalies", description: "What was wrong around events taken anyway (clock, position, id), by kind.");
        meter.CreateObservableGauge("elderiot.gateway.connected_devices", () => Interlocked.Read(ref _connected), description: "Devices connected now.");
    }

    /// <summary>Devices connected to this node now.</summary>
    public long ConnectedDevices => Interlocked.Read(ref _connected);

    /// <summary>Readings this node handed to device grains since start.</summary>
    public long ReadingsProcessed => Interlocked.Read(ref _readingsProcessed);

    public void Connected()
    {
        Interlocked.Increment(ref _connected);
        _connections.Add(1);
    }

    public void Disconnected() => Interlocked.Decrement(ref _connected);

    public void ConnectionRefused(string reason) => _refusedConnections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A client ran into a limit of <c>Gateway:Limits</c>; <paramref name="reason"/> names which.</summary>
    public void Limited(string reason, string listener) =>
        _limited.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("listener", listener));

    public void Message(string kind) => _messages.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ReadingsHandled(int count)
    {
        Interlocked.Add(ref _readingsProcessed, count);
        _readings.Add(count);
    }

    public void TelemetryShed(string reason) => _telemetryShed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void TelemetryHeld() => _telemetryHeld.Add(1);

    public void EventAnomaly(string kind) => _eventAnomalies.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void EventRecorded(TimeSpan duration) => _eventLatency.Record(duration.TotalMilliseconds);
}
