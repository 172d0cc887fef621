using System.Diagnostics.Metrics;

namespace ElderIoT.Hosting;

/// <summary>Meter <c>ElderIoT.Workers</c>: failures and recoveries of the node's background workers.</summary>
public sealed class WorkerMetrics
{
    public const string MeterName = "ElderIoT.Workers";

    private readonly Counter<long> _failures;
    private readonly Counter<long> _recoveries;
    private long _failuresTotal;

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _failures = meter.CreateCounter<long>("elderiot.worker.failures", description: "Rounds of a background worker that failed, by worker and reason (exception type); each is retried with backoff.");
        _recoveries = meter.CreateCounter<long>("elderiot.worker.recoveries", description: "A background worker succeeded again after failing, by worker.");
    }

    /// <summary>Failed rounds of all workers since start.</summary>
    public long Failures => Interlocked.Read(ref _failuresTotal);

    public void Failed(string worker, Exception exception)
    {
        Interlocked.Increment(ref _failuresTotal);
        _failures.Add(1, new("worker", worker), new("reason", exception.GetType().Name));
    }

    public void Recovered(string worker) => _recoveries.Add(1, new KeyValuePair<string, object?>("worker", worker));
}
