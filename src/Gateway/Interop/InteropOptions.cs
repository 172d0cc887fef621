namespace ElderIoT.Gateway.Interop;

/// <summary>The MQTT interoperability listener (section <c>Gateway:Interop</c>), off unless asked for.</summary>
public sealed class InteropOptions
{
    public const string SectionName = "Gateway:Interop";

    /// <summary>Run the interoperability listener. Never on a node devices can reach from outside.</summary>
    public bool Enabled { get; set; }

    /// <summary>Its own TCP port, apart from the device listener's.</summary>
    public int Port { get; set; } = 1884;

    /// <summary>Address to listen on; loopback, since anyone may connect and publish anything.</summary>
    public string? BindAddress { get; set; } = "127.0.0.1";
}
