namespace ElderIoT.Contracts.Seats;

/// <summary>
/// One call seat (坐席), keyed by seat id: its duty, districts, and live screens. A seat is offered
/// alarms only while it is there: on duty and a screen connected, or within the reconnect grace
/// after its last screen left.
/// </summary>
public interface ISeatGrain : IGrainWithStringKey
{
    /// <summary>Puts the seat on duty for the given district prefixes (already validated and normalised by the caller).</summary>
    Task GoOnlineAsync(IReadOnlyList<string> districts);

    /// <summary>Takes the seat off duty; it is offered nothing more.</summary>
    Task GoOfflineAsync();

    /// <summary>Tells the seat's screens about an alarm (offer or change).</summary>
    Task NotifyAsync(SeatAlarmNotice notice);

    /// <summary>Tells the seat's screens about a mass outage of its districts.</summary>
    Task NotifyOutageAsync(SeatOutageNotice notice);

    /// <summary>
    /// Connects a screen, or renews it: a screen not renewed within the keep-alive interval and the grace is gone.
    /// True when the seat did not know the screen: it is new, or the seat came back on another node after
    /// its own died (a screen renewing then was told nothing meanwhile, and is shown what is open again).
    /// </summary>
    Task<bool> SubscribeAsync(ISeatObserver observer);

    /// <summary>Disconnects a screen; the seat stays present for the reconnect grace.</summary>
    Task UnsubscribeAsync(ISeatObserver observer);

    /// <summary>The open alarms this seat sees now (the same rule as the offers): what a screen shows first when it connects.</summary>
    Task<IReadOnlyList<SeatAlarmNotice>> GetOpenAlarmsAsync();

    /// <summary>The seat's duty status.</summary>
    Task<SeatStatus> GetStatusAsync();
}

/// <summary>Whether a seat is there to take alarms.</summary>
public enum SeatPresence
{
    /// <summary>Not on duty.</summary>
    OffDuty,

    /// <summary>On duty with a screen connected: offered alarms.</summary>
    Watching,

    /// <summary>On duty, its screen gone moments ago: still offered alarms for the reconnect grace.</summary>
    Reconnecting,

    /// <summary>On duty but no screen: offered nothing until a screen connects.</summary>
    Away,
}

/// <summary>A seat's duty status.</summary>
/// <param name="Id">The seat id.</param>
/// <param name="Online">On duty (what the seat asked for; kept across restarts).</param>
/// <param name="Districts">District prefixes it serves.</param>
/// <param name="Presence">Whether it is there now, and so offered alarms.</param>
/// <param name="Screens">Screens connected now.</param>
[GenerateSerializer, Immutable]
public sealed record SeatStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] bool Online,
    [property: Id(2)] IReadOnlyList<string> Districts,
    [property: Id(3)] SeatPresence Presence,
    [property: Id(4)] int Screens);
