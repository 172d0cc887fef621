namespace ElderIoT.Contracts.Devices;

/// <summary>One decoded event a device published on <c>devices/{id}/events</c>.</summary>
/// <param name="DeviceId">The device that sent it.</param>
/// <param name="EventId">The device's own id for the event; re-sending the same id is idempotent.</param>
/// <param name="Type">What happened.</param>
/// <param name="OccurredAt">When the device says it happened.</param>
/// <param name="Position">Where, when the device knew.</param>
[GenerateSerializer, Immutable]
public sealed record DeviceEvent(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string EventId,
    [property: Id(2)] DeviceEventType Type,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] GeoPosition? Position);
