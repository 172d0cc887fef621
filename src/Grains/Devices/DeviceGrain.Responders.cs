using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Geofences;

namespace ElderIoT.Grains.Devices;

/// <summary>A responder's own device: registered to the responder, not to an elder.</summary>
internal sealed partial class DeviceGrain
{
    public async Task<DeviceRegistration> RegisterForResponderAsync(DeviceKind kind, string responderId)
    {
        if (_device is not null)
        {
            throw new DeviceAlreadyRegisteredException(this.GetPrimaryKeyString());
        }

        if (!await GrainFactory.GetGrain<IResponderGrain>(responderId).ExistsAsync())
        {
            throw new KeyNotFoundException($"Responder '{responderId}' is not registered.");
        }

        return await StoreRegistrationAsync(kind, Guid.Empty, responderId);
    }
}
