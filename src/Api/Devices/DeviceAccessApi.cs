using ElderIoT.Contracts.Devices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ElderIoT.Api.Devices;

/// <summary>
/// A device's access, in the devices group (<c>/api/devices/{id}/…</c>): rotating its secret, taking it out
/// of service and back, and the history of those changes. Each change ends the device's live session.
/// </summary>
public static class DeviceAccessApi
{
    /// <summary>Adds the access endpoints to the devices group, where its authorization policy applies to them.</summary>
    public static RouteGroupBuilder MapDeviceAccess(this RouteGroupBuilder devices)
    {
        devices.MapPost("{id}/secret", RotateSecretAsync).WithName("RotateDeviceSecret")
            .WithSummary("Issue a new secret for a device, shown only this once: the old one stops working and the device's live session is ended.");
        devices.MapPost("{id}/disable", DisableAsync).WithName("DisableDevice")
            .WithSummary("Take a device out of service: it is refused at connect and its live session is ended. Alarms it sent before are kept.");
        devices.MapPost("{id}/enable", EnableAsync).WithName("EnableDevice").WithSummary("Put a disabled device back in service.");
        devices.MapGet("{id}/credential-changes", ListChangesAsync).WithName("ListDeviceCredentialChanges")
            .WithSummary("A device's access history (secret rotations, disable, enable), newest first.");
        return devices;
    }

    private static async Task<Results<Ok<DeviceRegistration>, NotFound>> RotateSecretAsync(string id, IGrainFactory grains) =>
        await grains.GetGrain<IDeviceGrain>(id).RotateSecretAsync() is { } rotated ? TypedResults.Ok(rotated) : TypedResults.NotFound();

    private static Task<Results<Ok<DeviceStatus>, NotFound>> DisableAsync(string id, IGrainFactory grains) => SetEnabledAsync(id, enabled: false, grains);

    private static Task<Results<Ok<DeviceStatus>, NotFound>> EnableAsync(string id, IGrainFactory grains) => SetEnabledAsync(id, enabled: true, grains);

    private static async Task<Results<Ok<DeviceStatus>, NotFound>> SetEnabledAsync(string id, bool enabled, IGrainFactory grains) =>
        await grains.GetGrain<IDeviceGrain>(id).SetEnabledAsync(enabled) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound();

    private static async Task<Results<Ok<IReadOnlyList<DeviceCredentialChangeEntry>>, NotFound>> ListChangesAsync(string id, IGrainFactory grains, int limit = 50)
    {
        var device = grains.GetGrain<IDeviceGrain>(id);
        if (await device.GetStatusAsync() is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await device.GetCredentialChangesAsync(Math.Clamp(limit, 1, 500)));
    }
}
