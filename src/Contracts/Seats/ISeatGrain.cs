namespace ElderIoT.Contracts.Seats;

/// <summary>One call seat (坐席), keyed by seat id: its duty status, districts, and live screens.</summary>
public interface ISeatGrain : IGrainWithStringKey
{
    /// <summary>Puts the seat on duty for the given district prefixes.</summary>
    Task GoOnlineAsync(IReadOnlyList<string> districts);

    /// <summary>Takes the seat off duty; it is offered nothing more.</summary>
    Task GoOfflineAsync();

    /// <summary>Tells the seat's screens about an alarm (offer or change).</summary>
    Task NotifyAsync(SeatAlarmNotice notice);

    /// <summary>Connects a screen; call again periodically to stay subscribed.</summary>
    Task SubscribeAsync(ISeatObserver observer);

    /// <summary>Disconnects a screen.</summary>
    Task UnsubscribeAsync(ISeatObserver observer);

    /// <summary>The seat's duty status.</summary>
    Task<SeatStatus> GetStatusAsync();
}

/// <summary>A seat's duty status.</summary>
[GenerateSerializer, Immutable]
public sealed record SeatStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] bool Online,
    [property: Id(2)] IReadOnlyList<string> Districts);
