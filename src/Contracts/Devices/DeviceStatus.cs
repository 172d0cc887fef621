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
    [property: Id(8)] bool Disabled = false)
{
    /// <summary>Whether the device spoke within its expected reporting interval; false when silent or never seen.</summary>
    [Id(9)]
    public bool Online { get; init; }

    /// <summary>Whether the watch was on the wrist at its last reading that said; null when it never said (or is no watch).</summary>
    [Id(10)]
    public bool? Worn { get; init; }

    /// <summary>The interval within which it is expected to speak (its own, or its kind's).</summary>
    [Id(11)]
    public TimeSpan ReportEvery { get; init; }

    /// <summary>Since when a device_silent alarm stands for it; null otherwise.</summary>
    [Id(12)]
    public DateTimeOffset? SilentSince { get; init; }
}
