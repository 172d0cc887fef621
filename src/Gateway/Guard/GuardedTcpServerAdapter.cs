using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.ComponentModel;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace ElderIoT.Gateway.Guard;

/// <summary>
/// MQTTnet's TCP listener with the node's limits in front of it: connections over
/// <see cref="ConnectionLimits.MaxConnections"/> or <see cref="ConnectionLimits.MaxConnectionsPerAddress"/>
/// are closed at accept, and every accepted one is read through a <see cref="PacketGuardChannel"/>.
/// It replaces MQTTnet's own <c>MqttTcpServerAdapter</c>, which has neither, and binds exactly the
/// one address it is given (MQTTnet's default endpoint also opens every IPv6 interface). With a
/// <see cref="TlsEndpoint"/> it is the TLS listener: the handshake runs inside the same limits (the
/// connection holds its slot from accept, the handshake has <see cref="ConnectionLimits.TlsHandshakeTimeout"/>),
/// and the packet guard reads the decrypted stream.
/// </summary>
public sealed class GuardedTcpServerAdapter : IMqttServerAdapter
{
    private readonly string _listener;
    private readonly IPEndPoint _endpoint;
    private readonly ConnectionLimits _limits;
    private readonly GuardReporter _reporter;
    private readonly TimeProvider _time;
    private readonly ConnectionSlots _slots;
    private readonly TlsEndpoint? _tls;
    private Socket? _socket;
    private CancellationTokenSource? _stopping;

    /// <param name="listener">Name of the listener in logs and counters ("device", "interop").</param>
    /// <param name="bindAddress">Address to listen on; <see cref="IPAddress.IPv6Any"/> takes IPv4 and IPv6.</param>
    /// <param name="tls">Speak TLS with this certificate; null for plain TCP.</param>
    public GuardedTcpServerAdapter(string listener, IPAddress bindAddress, int port, ConnectionLimits limits, GuardReporter reporter, TimeProvider time, TlsEndpoint? tls = null)
    {
        _tls = tls;
        _listener = listener;
        _endpoint = new IPEndPoint(bindAddress, port);
        _limits = limits;
        _reporter = reporter;
        _time = time;
        _slots = new ConnectionSlots(limits.MaxConnections, limits.MaxConnectionsPerAddress);
    }

    /// <summary>Set by MQTTnet: runs one client's whole MQTT session.</summary>
    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The port actually bound (differs from the configured one when that was 0).</summary>
    public int BoundPort { get; private set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException("The listener is already started.");
        }

        var socket = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(_endpoint);
            socket.Listen(options.DefaultEndpointOptions.ConnectionBacklog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        BoundPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _socket = socket;
        _stopping = new CancellationTokenSource();
        _ = AcceptAsync(socket, options, logger, _stopping.Token);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        Close();
        return Task.CompletedTask;
    }

    public void Dispose() => Close();

    private void Close()
    {
        _stopping?.Cancel();
        _stopping?.Dispose();
        _stopping = null;
        _socket?.Dispose();
        _socket = null;
    }

    private async Task AcceptAsync(Socket listener, MqttServerOptions options, IMqttNetLogger logger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException || stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // The client went away between SYN and accept, or the process is out of file
                // descriptors: the next accept may succeed; do not spin.
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var remote = client.RemoteEndPoint as IPEndPoint;
            var full = _slots.TryTake(remote?.Address ?? IPAddress.None, out var slot);
            if (full is { } limit)
            {
                _reporter.Hit(_listener, limit, $"a connection from {remote}");
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeAsync(client, remote, slot, options, logger), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, IPEndPoint? remote, ConnectionSlots.Slot slot, MqttServerOptions options, IMqttNetLogger logger)
    {
        using (slot)
        {
            try
            {
                var handler = ClientHandler;
                if (handler is null)
                {
                    client.Dispose();
                    return;
                }

                client.NoDelay = true;
                Stream stream = new NetworkStream(client, ownsSocket: true);
                X509Certificate2? clientCertificate = null;
                if (_tls is not null)
                {
                    var secured = await HandshakeAsync(stream, remote).ConfigureAwait(false);
                    if (secured is null)
                    {
                        return;
                    }

                    stream = secured;
                    clientCertificate = secured.RemoteCertificate as X509Certificate2;
                }

                var tcp = new MqttTcpChannel(stream, client.LocalEndPoint, remote, clientCertificate);
                var guarded = new PacketGuardChannel(tcp, _limits.MaxPacketBytes, _limits.ConnectTimeout, _time, (limit, detail) => _reporter.Hit(_listener, limit, $"{detail} from {remote}"));
                var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
                using var adapter = new MqttChannelAdapter(guarded, formatter, logger)
                {
                    AllowPacketFragmentation = options.DefaultEndpointOptions.AllowPacketFragmentation,
                };
                await handler(adapter).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or IOException or SocketException or OperationCanceledException)
            {
                // The client or the server went away mid-session; MQTTnet has already cleaned up.
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    /// <summary>The server's side of the TLS handshake, bounded in time; null (and counted) when it fails.</summary>
    private async Task<SslStream?> HandshakeAsync(Stream tcp, IPEndPoint? remote)
    {
        var ssl = new SslStream(tcp, leaveInnerStreamOpen: false);
        using var deadline = new CancellationTokenSource(_limits.TlsHandshakeTimeout, _time);
        try
        {
            await ssl.AuthenticateAsServerAsync(_tls!.ServerOptions(), deadline.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            _reporter.Hit(_listener, GuardLimit.TlsHandshakeTimeout, $"a client that finished no TLS handshake in time from {remote}");
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException or Win32Exception)
        {
            _reporter.Hit(_listener, GuardLimit.TlsHandshakeFailed, $"a failed TLS handshake ({LogText.Safe(exception.Message)}) from {remote}");
        }

        await ssl.DisposeAsync().ConfigureAwait(false);
        return null;
    }
}
