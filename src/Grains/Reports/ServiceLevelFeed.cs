using ElderIoT.Contracts.Reports;
using ElderIoT.Records;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Reports;

/// <summary>
/// The alarm grains' side of the live figures: hands an alarm's new state to <see cref="ILiveServiceLevelGrain"/>
/// one-way, after it is stored. Nothing here may delay or fail an alarm: a failure is logged and counted,
/// and the figures catch up when they are next read from the records.
/// </summary>
internal sealed partial class ServiceLevelFeed(IGrainFactory grains, ServiceLevelMetrics metrics, ILogger<ServiceLevelFeed> logger)
{
    /// <summary>Tells the live figures about the alarm as stored; never throws, never waits.</summary>
    public void Changed(AlarmRecord alarm)
    {
        try
        {
            var told = grains.GetGrain<ILiveServiceLevelGrain>(0).AlarmChangedAsync(new LiveAlarmChange(alarm.Id, ServiceLevelRows.Of(alarm)));
            if (told.IsCompleted)
            {
                Observe(told, alarm.Id);
            }
            else
            {
                _ = told.ContinueWith(t => Observe(t, alarm.Id), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (Exception exception)
        {
            Failed(exception, alarm.Id);
        }
    }

    private void Observe(Task told, Guid alarmId)
    {
        if (told.IsFaulted)
        {
            Failed(told.Exception.GetBaseException(), alarmId);
        }
        else
        {
            metrics.AlarmChangeTold();
        }
    }

    private void Failed(Exception exception, Guid alarmId)
    {
        metrics.AlarmChangeFailed();
        LogFailed(exception, alarmId);
    }

    [LoggerMessage(4203, LogLevel.Warning, "Alarm {AlarmId}: telling the live service-level figures failed; they catch up when next read from the records")]
    private partial void LogFailed(Exception exception, Guid alarmId);
}
