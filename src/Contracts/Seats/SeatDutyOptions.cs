namespace ElderIoT.Contracts.Seats;

/// <summary>When a seat counts as there (section <c>Seats</c>).</summary>
public sealed class SeatDutyOptions
{
    public const string SectionName = "Seats";

    /// <summary>
    /// How often a seat's stream sends a keep-alive comment (so proxies do not cut an idle stream)
    /// and renews its screen with the seat.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a seat stays present after its last screen left or stopped renewing: long enough for a
    /// browser to reconnect, short enough that an alarm is not left with a seat nobody watches.
    /// </summary>
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromSeconds(30);
}
