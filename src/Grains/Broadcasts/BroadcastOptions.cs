namespace ElderIoT.Grains.Broadcasts;

/// <summary>How care broadcasts go out (section <c>Broadcasts</c>).</summary>
public sealed class BroadcastOptions
{
    public const string SectionName = "Broadcasts";

    /// <summary>
    /// At most this many messages are handed to the provider per second: a city-wide warning must not
    /// trip the provider's rate limits, nor crowd out an alarm's texts to a family.
    /// </summary>
    public int MessagesPerSecond { get; set; } = 5;

    /// <summary>Largest audience one broadcast may have; a larger one is refused so a typo in a filter does not text a city.</summary>
    public int MaxRecipients { get; set; } = 50_000;
}
