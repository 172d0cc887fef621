using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Records;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Devices;

/// <summary>
/// Home-visit checks from a care worker's own device (002): the same check-in and check-out REST makes,
/// judged by the elder's grain with the same home-zone and accuracy rule, with the device named as source.
/// </summary>
internal sealed partial class DeviceGrain
{
    /// <summary>Makes the check; null when it was taken, else why it was refused (nothing is recorded then).</summary>
    private async Task<EventRefusal?> CheckVisitAsync(DeviceRecord device, DeviceEvent deviceEvent)
    {
        if (device.ResponderId is not { } worker)
        {
            // An elder's watch has no worker to check in; the visit record would name nobody.
            return new EventRefusal(EventRefusalReason.VisitNotResponderDevice,
                $"device '{device.Id}' belongs to an elder, not to a responder: only a care worker's own device checks visits in and out");
        }

        var elderId = deviceEvent.VisitedElderId!.Value;
        if (await GrainFactory.GetGrain<IElderGrain>(elderId).GetProfileAsync() is null)
        {
            return new EventRefusal(EventRefusalReason.VisitUnknownElder, $"elderId: elder '{elderId}' is not registered");
        }

        var check = new VisitCheck(worker, deviceEvent.Position, device.Id);
        var visits = GrainFactory.GetGrain<IElderLocationGrain>(elderId);
        try
        {
            var visit = deviceEvent.Type == DeviceEventType.VisitCheckIn
                ? await visits.CheckInVisitAsync(check)
                : await visits.CheckOutOpenVisitAsync(check);
            LogVisitChecked(device.Id, deviceEvent.Type, visit.Id, elderId);
            return null;
        }
        catch (VisitConflictException)
        {
            return new EventRefusal(EventRefusalReason.VisitNotOpen, $"'{worker}' has no open visit at elder '{elderId}' to check out of");
        }
    }

    [LoggerMessage(3003, LogLevel.Information, "Device {DeviceId} made a {Type} of visit {VisitId} at elder {ElderId}")]
    private partial void LogVisitChecked(string deviceId, DeviceEventType type, Guid visitId, Guid elderId);
}
