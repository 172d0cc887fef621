using System.Net;
using System.Net.Sockets;

namespace ElderIoT.Gateway.Guard;

/// <summary>The unit per-address limits count by.</summary>
public static class SourceAddress
{
    /// <summary>
    /// An IPv4 address as is (IPv4-mapped IPv6 unwrapped); an IPv6 address by its /64, because one
    /// host is normally given a whole /64 and could otherwise step around every per-address limit.
    /// </summary>
    public static IPAddress KeyOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>The key of an endpoint's address, or <see cref="IPAddress.None"/> when it has none.</summary>
    public static IPAddress KeyOf(EndPoint? endPoint) =>
        endPoint is IPEndPoint ip ? KeyOf(ip.Address) : IPAddress.None;
}
