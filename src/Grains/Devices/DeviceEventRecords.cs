using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Records;

namespace ElderIoT.Grains.Devices;

internal static class DeviceEventRecords
{
    public static DeviceEventRecord From(DeviceEvent deviceEvent, DateTimeOffset receivedAt, Guid? alarmId) => new()
    {
        DeviceId = deviceEvent.DeviceId,
        EventId = deviceEvent.EventId,
        Type = deviceEvent.Type.ToSnakeCase(),
        ContentKey = deviceEvent.ContentKey,
        OccurredAt = deviceEvent.OccurredAt,
        DeviceTime = deviceEvent.DeviceTime,
        Anomalies = [.. deviceEvent.Anomalies.Select(a => a.ToStored())],
        ReceivedAt = receivedAt,
        Lat = deviceEvent.Position?.Lat,
        Lon = deviceEvent.Position?.Lon,
        Accuracy = deviceEvent.Position?.Accuracy,
        AlarmId = alarmId,
    };
}
