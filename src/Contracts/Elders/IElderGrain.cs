using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Elders;

/// <summary>
/// One elder, keyed by the elder id: the single writer of the elder record, and the one place that
/// knows whether the elder has an alarm open, so that a second SOS joins it instead of raising another.
/// </summary>
public interface IElderGrain : IGrainWithGuidKey
{
    /// <summary>Creates the elder record.</summary>
    Task CreateAsync(ElderProfile profile);

    /// <summary>Replaces the profile.</summary>
    /// <exception cref="ElderNotFoundException">No such elder.</exception>
    Task UpdateAsync(ElderProfile profile);

    /// <summary>The profile, or null when there is no such elder.</summary>
    Task<ElderProfile?> GetProfileAsync();

    /// <summary>
    /// Handles an event from one of the elder's devices: raises an alarm or joins the open one.
    /// Returns once the alarm is durably recorded.
    /// </summary>
    Task<EventReceipt> HandleDeviceEventAsync(DeviceEvent deviceEvent);

    /// <summary>
    /// Nothing but activation: told while one of the elder's devices is online, so that an SOS finds
    /// the profile and the open alarm in memory instead of waiting for them to load.
    /// </summary>
    [OneWay]
    Task KeepReadyAsync();

    /// <summary>Told by an alarm when it is resolved, so that the next alarm starts afresh.</summary>
    [OneWay]
    Task AlarmResolvedAsync(Guid alarmId);
}
