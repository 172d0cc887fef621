namespace ElderIoT.Contracts.Devices;

/// <summary>A registered device with the secret it connects with; the secret is shown only here, once.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceRegistration(
    [property: Id(0)] string Id,
    [property: Id(1)] DeviceKind Kind,
    [property: Id(2)] Guid ElderId,
    [property: Id(3)] string Secret);
