using System.Collections.Concurrent;

namespace ElderIoT.DeviceSim;

/// <summary>What happened in a run: counts, latencies and errors, safe to update from every device at once.</summary>
internal sealed class RunReport(LiveProgress progress)
{
    private readonly ConcurrentQueue<double> _ackMs = new();
    private readonly ConcurrentQueue<double> _offerMs = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _lost = new();
    private long _connected;
    private long _reconnects;
    private long _telemetry;
    private long _eventsSent;
    private long _eventsAcked;
    private long _commands;
    private long _errorCount;

    public ConcurrentDictionary<Guid, string> AlarmsSeen { get; } = new();

    public IReadOnlyCollection<double> AckLatencies => _ackMs;

    public IReadOnlyCollection<double> OfferLatencies => _offerMs;

    public long EventsSent => Interlocked.Read(ref _eventsSent);

    public long EventsAcknowledged => Interlocked.Read(ref _eventsAcked);

    public int EventsLost => _lost.Count;

    public void Connected() => Interlocked.Increment(ref _connected);

    public void Reconnecting() => Interlocked.Increment(ref _reconnects);

    public void TelemetrySent() => Interlocked.Increment(ref _telemetry);

    public void EventSent() => Interlocked.Increment(ref _eventsSent);

    public void EventAcknowledged(double milliseconds)
    {
        Interlocked.Increment(ref _eventsAcked);
        _ackMs.Enqueue(milliseconds);
    }

    public void EventLost(string eventId) => _lost.Enqueue(eventId);

    public void Offered(Guid alarmId, string deviceId, double? milliseconds)
    {
        if (AlarmsSeen.TryAdd(alarmId, deviceId) && milliseconds is { } ms)
        {
            _offerMs.Enqueue(ms);
        }
    }

    public void Command(string deviceId, string payload)
    {
        Interlocked.Increment(ref _commands);
        progress.Say($"  command to {deviceId}: {payload}");
    }

    public void Error(string message)
    {
        Interlocked.Increment(ref _errorCount);
        _errors.Enqueue(message);
        while (_errors.Count > 20 && _errors.TryDequeue(out _))
        {
        }
    }

    public ProgressSnapshot Snapshot(string phase, long connected, long devices) => new(
        phase,
        connected,
        devices,
        Interlocked.Read(ref _telemetry) + EventsSent,
        EventsSent, // telemetry goes at QoS 0, events at QoS 1
        EventsAcknowledged,
        ProcessedBySystem: null,
        AlarmsSeen.Count,
        _offerMs,
        Interlocked.Read(ref _errorCount));

    public string Summary() => string.Join(Environment.NewLine,
        "Summary",
        $"  devices connected     {Interlocked.Read(ref _connected)} (reconnects {Interlocked.Read(ref _reconnects)})",
        $"  telemetry sent        {Interlocked.Read(ref _telemetry)}",
        $"  events acknowledged   {EventsAcknowledged} of {EventsSent}, lost {EventsLost}",
        $"  alarms offered        {AlarmsSeen.Count}",
        $"  commands received     {Interlocked.Read(ref _commands)}",
        $"  publish → PUBACK      {Percentiles.Describe(AckLatencies)}",
        $"  publish → seat offer  {Percentiles.Describe(OfferLatencies)}",
        $"  errors                {Interlocked.Read(ref _errorCount)}{(_errors.IsEmpty ? "" : Environment.NewLine + string.Join(Environment.NewLine, _errors.Select(e => "    " + e)))}");
}
