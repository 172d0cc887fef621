using System.Net;
using System.Net.Sockets;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>A bare TCP socket to the broker, for clients no MQTT library would be: they send what they like, or nothing.</summary>
internal sealed class RawMqttSocket : IDisposable
{
    private RawMqttSocket(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<RawMqttSocket> ConnectAsync(int port, string source = "127.0.0.1")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawMqttSocket(socket);
    }

    /// <summary>The fixed header of a packet of <paramref name="type"/> announcing <paramref name="remainingLength"/> bytes.</summary>
    public static byte[] FixedHeader(int type, int remainingLength)
    {
        var bytes = new List<byte> { (byte)(type << 4) };
        do
        {
            var digit = (byte)(remainingLength % 128);
            remainingLength /= 128;
            bytes.Add(remainingLength > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (remainingLength > 0);
        return [.. bytes];
    }

    public Task SendAsync(byte[] bytes) => Socket.SendAsync(bytes);

    /// <summary>
    /// Reads until the broker closes the connection and returns what it sent; fails the test when
    /// the connection is still open after <paramref name="within"/>.
    /// </summary>
    public async Task<byte[]> ReadUntilClosedAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var received = new List<byte>();
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                var read = await Socket.ReceiveAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return [.. received];
                }

                received.AddRange(buffer.AsSpan(0, read).ToArray());
            }
        }
        catch (SocketException)
        {
            return [.. received]; // reset: closed just the same
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The broker still held the connection after {within}.");
        }
    }

    public void Dispose() => Socket.Dispose();
}
