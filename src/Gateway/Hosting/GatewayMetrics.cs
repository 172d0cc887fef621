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
    private readonly Histogram<double> _eventLatency;
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
        _eventLatency = meter.CreateHistogram<double>("elderiot.gateway.event_duration", unit: "ms", description: "From an event's arrival to its durable record (the PUBACK).");
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

    public void Message(string kind) => _messages.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ReadingsHandled(int count)
    {
        Interlocked.Add(ref _readingsProcessed, count);
        _readings.Add(count);
    }

    public void EventRecorded(TimeSpan duration) => _eventLatency.Record(duration.TotalMilliseconds);
}
