namespace ElderIoT.Silo;

/// <summary>One listener of the node, as <see cref="ListenerExposurePolicy"/> judges it.</summary>
/// <param name="Setting">The setting that chooses its address, named in the refusal.</param>
/// <param name="Address">Where it binds, as configured.</param>
/// <param name="Loopback">It binds the loopback interface only.</param>
/// <param name="Encrypted">What crosses it is encrypted (TLS).</param>
/// <param name="Authenticated">Every client must prove who it is (device secrets; JWT bearer tokens for the REST API).</param>
public sealed record NodeListener(string Setting, string Address, bool Loopback, bool Encrypted, bool Authenticated);

/// <summary>
/// Which listeners may bind beyond loopback: only those with both TLS and authentication. Anything else
/// there (plain MQTT, whose device secrets cross in clear; HTTP; an API without authentication; the
/// interoperability listener, which anyone may publish to) stops the node at start, unless it is told it
/// is a lab (<c>Node:Lab=true</c>), where a test bench on a private network may do without.
/// </summary>
public sealed class ListenerExposurePolicy(bool lab)
{
    /// <summary>The setting that says a node is a lab.</summary>
    public const string LabSetting = "Node:Lab";

    /// <summary>The listeners that may not bind where they are configured to; empty when the node may start.</summary>
    public IReadOnlyList<NodeListener> Refused(IEnumerable<NodeListener> listeners) =>
        lab ? [] : [.. listeners.Where(l => !l.Loopback && !(l.Encrypted && l.Authenticated))];

    /// <summary>What a refused listener lacks, for the message that names it.</summary>
    public static string Lacking(NodeListener listener) => (listener.Encrypted, listener.Authenticated) switch
    {
        (false, false) => "TLS and authentication",
        (false, true) => "TLS",
        _ => "authentication",
    };
}
