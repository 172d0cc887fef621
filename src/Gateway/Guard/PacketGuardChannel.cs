using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace ElderIoT.Gateway.Guard;

/// <summary>
/// Sits between a client's TCP stream and MQTTnet's packet reader, which allocates a packet's whole
/// body as soon as the fixed header announces its length (up to 256 MB) and waits for a CONNECT for
/// 100 s. This channel reads each fixed header itself first and hands it on only when the packet
/// fits <see cref="ConnectionLimits.MaxPacketBytes"/>; otherwise it reports the connection closed, so
/// the packet is never buffered. Until the first packet (the CONNECT) has arrived whole it also
/// holds the client to <see cref="ConnectionLimits.ConnectTimeout"/>. Body bytes pass straight through.
/// </summary>
internal sealed class PacketGuardChannel : IMqttChannel
{
    // One type-and-flags byte and at most four bytes of remaining length (MQTT 3.1.1 §2.2.3, 5.0 §1.5.5).
    private const int MaxFixedHeaderBytes = 5;

    private readonly IMqttChannel _inner;
    private readonly int _maxPacketBytes;
    private readonly Action<GuardLimit, string> _limitHit;
    private readonly byte[] _header = new byte[MaxFixedHeaderBytes];
    private CancellationTokenSource? _connectDeadline;
    private int _headerLength;
    private int _headerServed;
    private bool _headerComplete;
    private int _bodyLeft;

    public PacketGuardChannel(IMqttChannel inner, int maxPacketBytes, TimeSpan connectTimeout, TimeProvider time, Action<GuardLimit, string> limitHit)
    {
        _inner = inner;
        _maxPacketBytes = maxPacketBytes;
        _limitHit = limitHit;
        _connectDeadline = new CancellationTokenSource(connectTimeout, time);
    }

    public X509Certificate2 ClientCertificate => _inner.ClientCertificate;

    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public bool IsSecureConnection => _inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => _inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => _inner.DisconnectAsync(cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return 0;
        }

        if (!_headerComplete && !await ReadFixedHeaderAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0; // closed, or a limit was hit: MQTTnet reads 0 as the client having gone
        }

        if (_headerServed < _headerLength)
        {
            var served = Math.Min(count, _headerLength - _headerServed);
            Array.Copy(_header, _headerServed, buffer, offset, served);
            _headerServed += served;
            EndPacketIfRead();
            return served;
        }

        var read = await ReadInnerAsync(buffer, offset, Math.Min(count, _bodyLeft), cancellationToken).ConfigureAwait(false);
        _bodyLeft -= read;
        EndPacketIfRead();
        return read;
    }

    public void Dispose()
    {
        _connectDeadline?.Dispose();
        _inner.Dispose();
    }

    private async Task<bool> ReadFixedHeaderAsync(CancellationToken cancellationToken)
    {
        // Every fixed header has at least two bytes; after that, one length byte at a time, so that
        // nothing beyond the header is read before the length is known.
        while (_headerLength < 2)
        {
            var read = await ReadInnerAsync(_header, _headerLength, 2 - _headerLength, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _headerLength += read;
        }

        while ((_header[_headerLength - 1] & 0x80) != 0)
        {
            if (_headerLength == MaxFixedHeaderBytes)
            {
                _limitHit(GuardLimit.MalformedHeader, "a remaining length longer than four bytes");
                return false;
            }

            if (await ReadInnerAsync(_header, _headerLength, 1, cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }

            _headerLength++;
        }

        var remaining = 0;
        for (var index = _headerLength - 1; index >= 1; index--)
        {
            remaining = (remaining << 7) | (_header[index] & 0x7F);
        }

        if ((long)_headerLength + remaining > _maxPacketBytes)
        {
            _limitHit(GuardLimit.PacketTooLarge, $"a packet of type {_header[0] >> 4} announcing {_headerLength + remaining} bytes (limit {_maxPacketBytes})");
            return false;
        }

        _bodyLeft = remaining;
        _headerServed = 0;
        _headerComplete = true;
        return true;
    }

    private void EndPacketIfRead()
    {
        if (_headerServed < _headerLength || _bodyLeft > 0)
        {
            return;
        }

        _headerComplete = false;
        _headerLength = 0;
        if (_connectDeadline is not null)
        {
            // The first packet is in: from here MQTTnet's keep-alive watches the client.
            _connectDeadline.Dispose();
            _connectDeadline = null;
        }
    }

    private async Task<int> ReadInnerAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var deadline = _connectDeadline;
        if (deadline is null)
        {
            return await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await _inner.ReadAsync(buffer, offset, count, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _limitHit(GuardLimit.ConnectTimeout, "a client that sent no complete CONNECT in time");
            return 0;
        }
    }
}
