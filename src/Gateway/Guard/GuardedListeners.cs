using System.Net;
using Microsoft.Extensions.Options;

namespace ElderIoT.Gateway.Guard;

/// <summary>Makes the guarded TCP listeners the brokers of this node run on, all with the same limits.</summary>
public sealed class GuardedListeners(IOptions<ConnectionLimits> limits, GuardReporter reporter, TimeProvider time)
{
    /// <param name="name">The listener's name in logs and counters.</param>
    /// <param name="bindAddress">An IP address, or empty for every interface (IPv4 and IPv6).</param>
    /// <param name="tls">Speak TLS with this certificate; null for plain TCP.</param>
    public GuardedTcpServerAdapter Create(string name, string? bindAddress, int port, TlsEndpoint? tls = null) =>
        new(name, string.IsNullOrWhiteSpace(bindAddress) ? IPAddress.IPv6Any : IPAddress.Parse(bindAddress), port, limits.Value, reporter, time, tls);
}
