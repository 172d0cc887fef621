using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Alarms;

/// <summary>
/// A condition a detection rule confirmed (or saw end) for one elder: the kind of alarm, the device it
/// concerns, the centre-made event type for the history, and the English detail for the timeline.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RuleAlarm(
    [property: Id(0)] AlarmKind Kind,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] DeviceEventType EventType,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string Detail)
{
    /// <summary>Which condition of the rule (heart_rate_high, spo2_low...) when a rule has several: one reading may confirm several, each its own event.</summary>
    [Id(5)]
    public string Condition { get; init; } = "";

    /// <summary>What the rule saw, as values (the readings, the threshold, how long), kept with the alarm for the seat; null for a recovery or when there is nothing to show.</summary>
    [Id(6)]
    public CentreAlarmDetail? Values { get; init; }
}
