namespace ElderIoT.Contracts.Devices;

/// <summary>The live view of a device: who it belongs to and what it last said.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] DeviceKind Kind,
    [property: Id(2)] Guid ElderId,
    [property: Id(3)] DateTimeOffset? LastSeenAt,
    [property: Id(4)] GeoPosition? LastPosition,
    [property: Id(5)] DateTimeOffset? LastPositionAt,
    [property: Id(6)] int? Battery,
    [property: Id(7)] int? HeartRate,
    [property: Id(8)] bool Disabled = false);
