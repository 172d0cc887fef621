using System.Globalization;

namespace ElderIoT.Contracts.Devices;

/// <summary>One decoded event a device published on <c>devices/{id}/events</c>.</summary>
/// <param name="DeviceId">The device that sent it.</param>
/// <param name="EventId">The device's own id for the event (or one derived from the payload when it sent none).</param>
/// <param name="Type">What happened.</param>
/// <param name="OccurredAt">
/// When it happened as best known: the device's time when it is plausible, otherwise the time the
/// centre received it. The device's own time is kept in <see cref="DeviceTime"/>.
/// </param>
/// <param name="Position">Where, when the device knew.</param>
[GenerateSerializer, Immutable]
public sealed record DeviceEvent(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string EventId,
    [property: Id(2)] DeviceEventType Type,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] GeoPosition? Position)
{
    /// <summary>The time exactly as the device reported it, right or wrong; null when it sent none that could be read.</summary>
    [Id(5)]
    public DateTimeOffset? DeviceTime { get; init; }

    /// <summary>What was wrong around the event (clock, position, id); empty for a clean one.</summary>
    [Id(6)]
    public IReadOnlyList<EventAnomaly> Anomalies { get; init; } = [];

    /// <summary>
    /// Set by the device grain when the same id and type without a device time came again long after
    /// any resend would (a wall button whose counter restarted after a battery change): the time it
    /// came again, which makes it a new event.
    /// </summary>
    [Id(7)]
    public DateTimeOffset? RepeatedAt { get; init; }

    /// <summary>For a visit check (<see cref="DeviceEventTypes.IsVisitCheck"/>): the elder being visited; null for every other type.</summary>
    [Id(8)]
    public Guid? VisitedElderId { get; init; }

    /// <summary>
    /// What, besides the device and its event id, makes a message the same event: its type and the
    /// device's time. Ids are reused in the field (a counter that restarts at boot), so a later
    /// message with the same id but another type or time is a new event, not a resend.
    /// </summary>
    public string ContentKey => RepeatedAt is { } repeated ? $"{BaseContentKey}#{Millis(repeated)}" : BaseContentKey;

    /// <summary>The content key before any <see cref="RepeatedAt"/>: what a resend of this message repeats.</summary>
    public string BaseContentKey => $"{Type.ToSnakeCase()}@{(DeviceTime is { } time ? Millis(time) : "-")}";

    private static string Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether this type of event raises an alarm (or joins the elder's open one).</summary>
    public bool RaisesAlarm => Type.RaisesAlarm();
}
