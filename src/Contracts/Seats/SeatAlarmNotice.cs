using ElderIoT.Contracts.Alarms;

namespace ElderIoT.Contracts.Seats;

/// <summary>What a seat's screen is told about an alarm: offered to it, or changed.</summary>
/// <param name="Change">What changed (the stream sends it as the event name, in snake_case: offered, joined, accepted …).</param>
/// <param name="Alarm">The alarm as it now stands.</param>
/// <param name="ElderName">Whose alarm, for the screen.</param>
/// <param name="At">When the change happened.</param>
/// <param name="Detail">What the seat must read at once, when the change carries it: who of the family answered and what.</param>
[GenerateSerializer, Immutable]
public sealed record SeatAlarmNotice(
    [property: Id(0)] AlarmChange Change,
    [property: Id(1)] AlarmSnapshot Alarm,
    [property: Id(2)] string ElderName,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? Detail = null);

/// <summary>A seat's live view (a dashboard connection) that receives notices.</summary>
public interface ISeatObserver : IGrainObserver
{
    /// <summary>One notice; fire-and-forget so that a slow screen never holds up an alarm.</summary>
    [OneWay]
    Task OnAlarmNoticeAsync(SeatAlarmNotice notice);

    /// <summary>A mass outage of the seat's districts was declared or cleared; fire-and-forget as well.</summary>
    [OneWay]
    Task OnOutageAsync(SeatOutageNotice notice);
}
