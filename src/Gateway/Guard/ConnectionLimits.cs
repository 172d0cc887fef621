namespace ElderIoT.Gateway.Guard;

/// <summary>
/// What an MQTT client may cost the node before and after it has proved who it is (section
/// <c>Gateway:Limits</c>; the interoperability listener applies the same values to its own clients).
/// </summary>
public sealed class ConnectionLimits
{
    public const string SectionName = "Gateway:Limits";

    /// <summary>
    /// Largest MQTT packet read from a client, fixed header included, checked on the fixed header
    /// before any of the packet is buffered. The default leaves room above the largest legitimate
    /// message (a 500-reading telemetry batch within <c>Gateway:MaxPayloadBytes</c>, 64 KiB, plus
    /// topic and properties), so an oversized payload up to this size still gets a reasoned refusal
    /// on a connection that stays up; anything larger closes the connection unread.
    /// </summary>
    public int MaxPacketBytes { get; set; } = 128 * 1024;

    /// <summary>A client must have sent its whole CONNECT packet within this time after the TCP connect.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// On the TLS listener, the handshake must be done within this time after the TCP connect; the
    /// <see cref="ConnectTimeout"/> for the CONNECT packet starts after it.
    /// </summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Open TCP connections on one listener; more are closed at accept.</summary>
    public int MaxConnections { get; set; } = 50_000;

    /// <summary>
    /// Open TCP connections from one source address (an IPv6 source counts by its /64). Generous
    /// because a mobile carrier may put many elders' watches behind one address.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 1_000;

    /// <summary>Failed logins of one client id within <see cref="FailedLoginWindow"/> before its attempts are slowed.</summary>
    public int FailedLoginsPerClientId { get; set; } = 5;

    /// <summary>Failed logins from one source address within <see cref="FailedLoginWindow"/> before its attempts are slowed.</summary>
    public int FailedLoginsPerAddress { get; set; } = 20;

    /// <summary>How long failed logins are remembered.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Delay of the first slowed attempt; each further failure doubles it up to <see cref="MaxFailedLoginDelay"/>.</summary>
    public TimeSpan FailedLoginDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest delay before a slowed attempt is checked. Kept short: a device with the right secret
    /// is only ever delayed, never refused, however hard someone else hammers its id.
    /// </summary>
    public TimeSpan MaxFailedLoginDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A limit that keeps being hit is logged once per this interval, with a count, not once per client.</summary>
    public TimeSpan LogInterval { get; set; } = TimeSpan.FromSeconds(10);

    internal IEnumerable<string> Problems()
    {
        if (MaxPacketBytes < 1024)
        {
            yield return "Gateway:Limits:MaxPacketBytes must be at least 1024.";
        }

        if (ConnectTimeout <= TimeSpan.Zero || TlsHandshakeTimeout <= TimeSpan.Zero || FailedLoginWindow <= TimeSpan.Zero || LogInterval <= TimeSpan.Zero)
        {
            yield return "Gateway:Limits:ConnectTimeout, TlsHandshakeTimeout, FailedLoginWindow and LogInterval must be positive.";
        }

        if (MaxConnections < 1 || MaxConnectionsPerAddress < 1 || FailedLoginsPerClientId < 0 || FailedLoginsPerAddress < 0)
        {
            yield return "Gateway:Limits:MaxConnections and MaxConnectionsPerAddress must be positive, the failed-login allowances not negative.";
        }

        if (FailedLoginDelay < TimeSpan.Zero || MaxFailedLoginDelay < FailedLoginDelay)
        {
            yield return "Gateway:Limits:FailedLoginDelay must not be negative nor above MaxFailedLoginDelay.";
        }
    }
}
