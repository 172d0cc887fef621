using ElderIoT.Contracts.Alarms;
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
    /// A centre rule raises an alarm (vitals, inactivity, a silent device, a low battery, not worn, a
    /// door at night, a zone crossing): it joins the elder's open incident when one is close in time,
    /// otherwise a new incident is raised. Returns once it is durably recorded, with the alarm's id.
    /// </summary>
    /// <exception cref="ElderNotFoundException">No such elder.</exception>
    Task<Guid> RaiseCentreAlarmAsync(CentreAlarm alarm);

    /// <summary>
    /// A centre rule says the cause it raised has gone (the device reports again, readings are normal).
    /// The alarm closes itself only if nobody accepted it and nothing else is in the incident;
    /// otherwise the recovery is recorded on its timeline.
    /// </summary>
    Task<AlarmClearResult> ClearCentreAlarmAsync(AlarmKind kind, string deviceId, AlarmRecovery reason);

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
