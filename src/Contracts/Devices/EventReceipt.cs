namespace ElderIoT.Contracts.Devices;

/// <summary>What became of a device event once it was durably recorded.</summary>
/// <param name="AlarmId">The alarm the event raised or joined, if it was an alarm event.</param>
/// <param name="Duplicate">True when the same event (device, id, type and device time) had been recorded before.</param>
[GenerateSerializer, Immutable]
public sealed record EventReceipt(
    [property: Id(0)] Guid? AlarmId,
    [property: Id(1)] bool Duplicate)
{
    /// <summary>What was wrong around the event as it was recorded, including what only the grain could see (a reused id).</summary>
    [Id(2)]
    public IReadOnlyList<EventAnomaly> Anomalies { get; init; } = [];

    /// <summary>
    /// Set when the event was read but refused (a visit check from an elder's device, for an unknown
    /// elder, or with no open visit): nothing was recorded, and the device is told why.
    /// </summary>
    [Id(3)]
    public EventRefusal? Refusal { get; init; }
}
