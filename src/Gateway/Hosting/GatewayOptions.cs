namespace ElderIoT.Gateway.Hosting;

/// <summary>The device MQTT listener (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Run the MQTT broker on this node.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>TCP port of the plain (unencrypted) listener.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>
    /// Run the plain listener on <see cref="Port"/>. Turn it off when devices use TLS
    /// (<see cref="GatewayTlsOptions"/>); off the loopback it needs <c>Node:Lab</c>, since secrets cross it in clear.
    /// </summary>
    public bool PlainListener { get; set; } = true;

    /// <summary>
    /// Address the listeners bind: loopback by default. Empty means every interface, IPv4 and IPv6; any
    /// address but loopback is refused at start unless only the TLS listener runs (or <c>Node:Lab</c>).
    /// </summary>
    public string? BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Largest payload accepted from a device; larger ones are refused as malformed.</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Most readings accepted in one telemetry array.</summary>
    public int MaxReadingsPerMessage { get; set; } = 500;

    /// <summary>
    /// Telemetry messages handed to the grains and not yet handled, at most. Beyond it a QoS 0 message
    /// is shed and a QoS 1 message waits (its PUBACK withheld), so that an alarm never queues behind
    /// readings. Events are not counted against it.
    /// </summary>
    public int MaxTelemetryInFlight { get; set; } = 256;

    /// <summary>How far ahead of the server clock a device timestamp may be before it is refused (telemetry) or flagged (an alarm).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(10);
}
