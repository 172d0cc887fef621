using System.Text.Json;
using ElderIoT.Contracts.Devices;
using ElderIoT.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Alarms;

/// <summary>
/// Lets every device whose event is part of the alarm know (a handset can say "help is coming"; the
/// watch that joined the SOS stops asking too), through each device's outbox, so that an offline
/// device is told when it is back. The seat calls the elder anyway.
/// </summary>
internal sealed partial class AlarmDeviceCommands(
    IGrainFactory grains,
    AlarmStore store,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    ILogger<AlarmDeviceCommands> logger)
{
    public async Task TellAsync(AlarmLifecycle alarm, string type)
    {
        var alarmId = alarm.Record.Id;
        IReadOnlyList<string> devices;
        try
        {
            devices = await store.DevicesOfAsync(alarmId);
        }
        catch (Exception exception)
        {
            LogDeviceCommandFailed(exception, alarmId, alarm.Record.DeviceId);
            devices = [];
        }

        var command = JsonSerializer.Serialize(new { type, alarmId, at = clock.GetUtcNow() });
        foreach (var deviceId in devices.Append(alarm.Record.DeviceId).Distinct(StringComparer.Ordinal))
        {
            // Not awaited: the device grain may be waiting on this alarm (an event joining it), and
            // waiting for it here would deadlock the two until the call times out.
            _ = grains.GetGrain<IDeviceGrain>(deviceId).SendCommandAsync(new DeviceCommand(type, command))
                .ContinueWith(
                    t => LogDeviceCommandFailed(t.Exception!.GetBaseException(), alarmId, deviceId),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    [LoggerMessage(1008, LogLevel.Warning, "Alarm {AlarmId}: telling device {DeviceId} failed")]
    private partial void LogDeviceCommandFailed(Exception exception, Guid alarmId, string deviceId);
}
