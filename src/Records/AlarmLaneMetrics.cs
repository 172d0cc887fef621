using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ElderIoT.Records;

/// <summary>
/// How long the alarm lane waits for a connection (meter <c>ElderIoT.Records</c>): the time EF Core
/// takes to open one, which is the pool's wait when the lane is busy and near nothing when it is not.
/// </summary>
public sealed class AlarmLaneMetrics
{
    public const string MeterName = "ElderIoT.Records";

    private readonly Histogram<double> _wait;

    public AlarmLaneMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _wait = meter.CreateHistogram<double>("elderiot.records.alarm_lane.connection_wait", unit: "ms",
            description: "Time the alarm lane took to get an open connection, by outcome (opened, failed).");
    }

    internal void Waited(TimeSpan duration, string outcome) =>
        _wait.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>Measures every connection the alarm lane opens into <see cref="AlarmLaneMetrics"/>.</summary>
internal sealed class AlarmLaneConnectionTimer(AlarmLaneMetrics metrics) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        metrics.Waited(eventData.Duration, "opened");

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        metrics.Waited(eventData.Duration, "opened");
        return Task.CompletedTask;
    }

    public override void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) =>
        metrics.Waited(eventData.Duration, "failed");

    public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        metrics.Waited(eventData.Duration, "failed");
        return Task.CompletedTask;
    }
}
