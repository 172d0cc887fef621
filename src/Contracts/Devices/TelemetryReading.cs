namespace ElderIoT.Contracts.Devices;

/// <summary>One decoded reading from <c>devices/{id}/telemetry</c>; absent measurements are null.</summary>
[GenerateSerializer, Immutable]
public sealed record TelemetryReading(
    [property: Id(0)] DateTimeOffset Timestamp,
    [property: Id(1)] GeoPosition? Position,
    [property: Id(2)] int? HeartRate,
    [property: Id(3)] int? SpO2,
    [property: Id(4)] int? Systolic,
    [property: Id(5)] int? Diastolic,
    [property: Id(6)] int? Steps,
    [property: Id(7)] int? Battery,
    [property: Id(8)] bool? Worn);
