namespace ElderIoT.Contracts.Devices;

/// <summary>A WGS84 position with its accuracy radius in metres, as a device reported it.</summary>
[GenerateSerializer, Immutable]
public sealed record GeoPosition(
    [property: Id(0)] double Lat,
    [property: Id(1)] double Lon,
    [property: Id(2)] double? Accuracy = null);
