namespace ElderIoT.Contracts.Devices;

/// <summary>
/// One device, keyed by its device id: the single writer of its device record. It checks connect
/// credentials, takes the device's decoded events and readings, and remembers what it last said.
/// </summary>
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>Registers the device for an elder and returns its new secret (shown once).</summary>
    /// <exception cref="DeviceAlreadyRegisteredException">The id is taken.</exception>
    /// <exception cref="ElderIoT.Contracts.Elders.ElderNotFoundException">No such elder.</exception>
    Task<DeviceRegistration> RegisterAsync(DeviceKind kind, Guid elderId);

    /// <summary>
    /// Registers a responder's own device (a volunteer's or care worker's phone or watch): its fixes
    /// become the responder's live position; its events are recorded and raise nothing.
    /// </summary>
    /// <exception cref="DeviceAlreadyRegisteredException">The id is taken.</exception>
    /// <exception cref="KeyNotFoundException">No such responder.</exception>
    Task<DeviceRegistration> RegisterForResponderAsync(DeviceKind kind, string responderId);

    /// <summary>
    /// Checks the secret a device connects with. <paramref name="session"/> is the gateway the device
    /// is logging in to: it is told to end the session when the secret is rotated or the device disabled.
    /// </summary>
    Task<DeviceAuthResult> AuthenticateAsync(string secret, IDeviceSessionObserver? session = null);

    /// <summary>
    /// Issues a new secret (returned only here, once): the old one stops working at once and the
    /// device's live session is ended, so it must log in with the new one. Null when not registered.
    /// </summary>
    Task<DeviceRegistration?> RotateSecretAsync();

    /// <summary>
    /// Takes the device out of service (<paramref name="enabled"/> false) or puts it back. A disabled
    /// device is refused at connect and its live session is ended; events it sent before that are still
    /// taken, so an SOS in flight is never lost. Returns the new status, or null when not registered.
    /// </summary>
    Task<DeviceStatus?> SetEnabledAsync(bool enabled);

    /// <summary>The device's access history (rotations, disable, enable), newest first.</summary>
    Task<IReadOnlyList<DeviceCredentialChangeEntry>> GetCredentialChangesAsync(int limit);

    /// <summary>
    /// Records an event. Returns only once whatever the event raised is durably stored; throws if
    /// it could not be, so that the gateway withholds the device's acknowledgement.
    /// </summary>
    /// <remarks>
    /// Interleaves with the grain's other calls so that an SOS never waits behind the device's
    /// telemetry (which may itself be waiting for the telemetry store); events are serialised among
    /// themselves inside the grain.
    /// </remarks>
    [AlwaysInterleave]
    Task<EventReceipt> ReportEventAsync(DeviceEvent deviceEvent);

    /// <summary>
    /// Takes a batch of readings (latest position, battery, vitals). With
    /// <see cref="TelemetryDelivery.Acknowledged"/> it returns only once they are durable, and throws when
    /// they could not be made so. Interleaves with the device's other calls, so an SOS never waits for a
    /// telemetry fsync.
    /// </summary>
    [AlwaysInterleave]
    Task ReportTelemetryAsync(IReadOnlyList<TelemetryReading> readings, TelemetryDelivery delivery = TelemetryDelivery.Acknowledged);

    /// <summary>The live status, or null when the device is not registered.</summary>
    Task<DeviceStatus?> GetStatusAsync();

    /// <summary>
    /// Puts a command in the device's outbox (bounded, durable, with an expiry) and sends it now when the
    /// device is connected and subscribed.
    /// </summary>
    Task<DeviceCommandReceipt> SendCommandAsync(DeviceCommand command);

    /// <summary>
    /// The device can take commands now (it subscribed to its commands topic, or came back to a session
    /// that holds that subscription) on the node <paramref name="gatewayNode"/> (its silo address, the
    /// key of its <see cref="IGatewayNodeGrain"/>): its commands go out there from now on, and its pending
    /// ones are sent, oldest first.
    /// </summary>
    Task CommandChannelOpenedAsync(string gatewayNode);

    /// <summary>The device acknowledged (PUBACK) the command with this id.</summary>
    Task CommandAcknowledgedAsync(Guid commandId);

    /// <summary>Records pending commands whose time is up as expired.</summary>
    Task ExpireCommandsAsync();

    /// <summary>The device's most recent commands, newest first.</summary>
    Task<IReadOnlyList<DeviceCommandStatus>> GetCommandsAsync(int limit);
}
