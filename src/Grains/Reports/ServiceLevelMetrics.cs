using System.Diagnostics.Metrics;

namespace ElderIoT.Grains.Reports;

/// <summary>The live service-level figures (meter <c>ElderIoT.ServiceLevel</c>).</summary>
public sealed class ServiceLevelMetrics
{
    public const string MeterName = "ElderIoT.ServiceLevel";

    private readonly Counter<long> _alarmChanges;
    private readonly Counter<long> _loads;
    private readonly Counter<long> _pushes;

    public ServiceLevelMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _alarmChanges = meter.CreateCounter<long>("elderiot.service_level.alarm_changes",
            description: "Alarm changes handed to the live figures by the alarm grains, by result (told, failed: the figures miss it until they are next read from the records).");
        _loads = meter.CreateCounter<long>("elderiot.service_level.days_loaded",
            description: "Times the live figures read a day's alarms from the records (an activation, or the day turning).");
        _pushes = meter.CreateCounter<long>("elderiot.service_level.pushes", description: "New figures pushed to seat streams.");
    }

    public void AlarmChangeTold() => _alarmChanges.Add(1, new KeyValuePair<string, object?>("result", "told"));

    public void AlarmChangeFailed() => _alarmChanges.Add(1, new KeyValuePair<string, object?>("result", "failed"));

    public void DayLoaded() => _loads.Add(1);

    public void Pushed(int streams) => _pushes.Add(streams);
}
