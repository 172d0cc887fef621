namespace ElderIoT.Gateway.Guard;

/// <summary>Which limit of <see cref="ConnectionLimits"/> a client ran into (the <c>reason</c> tag of <c>elderiot.gateway.connections_limited</c>).</summary>
public enum GuardLimit
{
    /// <summary>A packet's fixed header announced more than MaxPacketBytes; closed unread.</summary>
    PacketTooLarge,

    /// <summary>A fixed header that is not MQTT (remaining length over four bytes); closed.</summary>
    MalformedHeader,

    /// <summary>No complete CONNECT within ConnectTimeout; closed.</summary>
    ConnectTimeout,

    /// <summary>MaxConnectionsPerAddress reached; closed at accept.</summary>
    AddressConnections,

    /// <summary>MaxConnections reached; closed at accept.</summary>
    TotalConnections,

    /// <summary>No finished TLS handshake within TlsHandshakeTimeout (TLS listener); closed.</summary>
    TlsHandshakeTimeout,

    /// <summary>The TLS handshake failed (not TLS, no common protocol, a refused client certificate); closed.</summary>
    TlsHandshakeFailed,

    /// <summary>Too many failed logins of this client id; the attempt was delayed.</summary>
    FailedLoginsClientId,

    /// <summary>Too many failed logins from this address; the attempt was delayed.</summary>
    FailedLoginsAddress,
}

internal static class GuardLimitNames
{
    public static string Tag(this GuardLimit limit) => limit switch
    {
        GuardLimit.PacketTooLarge => "packet_too_large",
        GuardLimit.MalformedHeader => "malformed_header",
        GuardLimit.ConnectTimeout => "connect_timeout",
        GuardLimit.AddressConnections => "address_connections",
        GuardLimit.TotalConnections => "total_connections",
        GuardLimit.TlsHandshakeTimeout => "tls_handshake_timeout",
        GuardLimit.TlsHandshakeFailed => "tls_handshake_failed",
        GuardLimit.FailedLoginsClientId => "failed_logins_client_id",
        GuardLimit.FailedLoginsAddress => "failed_logins_address",
        _ => limit.ToString(),
    };
}
