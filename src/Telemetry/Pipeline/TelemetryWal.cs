using ElderIoT.Hosting;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Telemetry.Pipeline;

/// <summary>
/// Append-only segment files (<c>{sequence}.wal</c>) of length-prefixed, CRC-checked records, one record
/// per append. A single committer writes whatever appends arrived while the previous fsync ran and
/// fsyncs once for all of them, so concurrent devices share the cost of durability; a device alone
/// waits one fsync. A failed write is cut off again (or the segment abandoned), so a torn tail is only
/// ever at the end of a segment, where replay stops at the first record whose checksum fails.
/// </summary>
internal sealed partial class TelemetryWal : ITelemetryWal, IAsyncDisposable
{
    private const string Suffix = ".wal";
    private const int HeaderBytes = 8; // length, CRC-32 of the payload

    private readonly long _segmentBytes;
    private readonly TelemetryMetrics _metrics;
    private readonly ILogger<TelemetryWal> _logger;
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new() { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Segment> _segments = [];
    private readonly Task _committer;
    private long _activeSegment;
    private long _activeLength;
    private volatile string? _lastFailure;

    public TelemetryWal(string directory, long segmentBytes, TelemetryMetrics metrics, ILogger<TelemetryWal> logger)
    {
        Directory = directory;
        _segmentBytes = segmentBytes;
        _metrics = metrics;
        _logger = logger;
        PrivateFiles.CreateDirectory(directory);
        RecoveredSegments = [.. System.IO.Directory.EnumerateFiles(directory, "*" + Suffix).Select(SequenceOf).Order()];
        foreach (var segment in RecoveredSegments)
        {
            _segments[segment] = new Segment { Sealed = true, Unread = true };
        }

        _activeSegment = RecoveredSegments.DefaultIfEmpty(0).Max() + 1;
        _committer = Task.Run(CommitLoopAsync);
    }

    public string Directory { get; }

    public IReadOnlyList<long> RecoveredSegments { get; }

    public string? LastFailure => _lastFailure;

    /// <summary>Segment files on disk now (sealed and active).</summary>
    public int SegmentCount
    {
        get
        {
            lock (_gate)
            {
                return _segments.Count;
            }
        }
    }

    public Task<long> AppendAsync(IReadOnlyList<TelemetryEntry> entries, CancellationToken cancellationToken)
    {
        // Serialised on the caller's thread, so the committer only writes and fsyncs.
        var payload = JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<TelemetryEntry>>(entries);
        var record = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(record, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.Compute(payload));
        payload.CopyTo(record, HeaderBytes);
        var append = new PendingAppend(record, entries.Count, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_appends.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(TelemetryWal));
        }

        return append.Done.Task.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TelemetryEntry>> ReadSegmentAsync(long segment, CancellationToken cancellationToken)
    {
        var path = PathOf(segment);
        var bytes = File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : [];
        var entries = new List<TelemetryEntry>();
        var offset = 0;
        while (offset + HeaderBytes <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            if (length <= 0 || offset + HeaderBytes + length > bytes.Length)
            {
                break;
            }

            var payload = bytes.AsSpan(offset + HeaderBytes, length);
            if (Crc32.Compute(payload) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4)))
            {
                break;
            }

            entries.AddRange(JsonSerializer.Deserialize<List<TelemetryEntry>>(payload) ?? []);
            offset += HeaderBytes + length;
        }

        if (offset < bytes.Length)
        {
            // Cut short by a crash or a failed write: everything before it was fsync'd whole.
            _metrics.WalTornTail();
            LogTornTail(segment, bytes.Length - offset);
        }

        lock (_gate)
        {
            if (_segments.TryGetValue(segment, out var state) && state.Unread)
            {
                state.Unread = false;
                state.Outstanding += entries.Count;
            }
        }

        LogRecovered(segment, entries.Count);
        Release(segment, 0);
        return entries;
    }

    public void Release(long segment, int count)
    {
        string? delete = null;
        lock (_gate)
        {
            if (_segments.TryGetValue(segment, out var state))
            {
                state.Outstanding -= count;
                if (state is { Sealed: true, Unread: false, Outstanding: <= 0 })
                {
                    _segments.Remove(segment);
                    delete = PathOf(segment);
                }
            }
        }

        if (delete is not null)
        {
            TryDelete(delete);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        await _committer;
    }

    private async Task CommitLoopAsync()
    {
        var group = new List<PendingAppend>();
        while (await _appends.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < 4096 && _appends.Reader.TryRead(out var append))
            {
                group.Add(append);
            }

            try
            {
                var segment = Commit(group);
                _lastFailure = null;
                foreach (var append in group)
                {
                    append.Done.TrySetResult(segment);
                }
            }
            catch (Exception exception)
            {
                _lastFailure = exception.Message;
                LogAppendFailed(exception.Message, group.Sum(a => a.Count));
                var failure = new TelemetryNotDurableException($"the telemetry write-ahead log could not be written: {exception.Message}", exception);
                foreach (var append in group)
                {
                    append.Done.TrySetException(failure);
                }
            }
        }
    }

    /// <summary>
    /// Writes the group to the active segment and fsyncs once; returns the segment. The file is opened
    /// for each group and closed after it: an open is cheap beside the fsync, and no handle stays open
    /// for writing between commits (Linux will not make a disk read-only under an open writer).
    /// </summary>
    private long Commit(List<PendingAppend> group)
    {
        var segment = _activeSegment;
        using (var active = new FileStream(PathOf(segment), PrivateFiles.Options(FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0)))
        {
            // No buffer of our own: a write the disk refuses fails here, not later in a flush.
            lock (_gate)
            {
                _segments.TryAdd(segment, new Segment());
            }

            var start = active.Position;
            try
            {
                foreach (var append in group)
                {
                    active.Write(append.Record);
                }

                active.Flush(flushToDisk: true);
            }
            catch
            {
                CutBack(active, start);
                throw;
            }

            _activeLength = active.Length;
        }

        var points = group.Sum(a => a.Count);
        lock (_gate)
        {
            _segments[segment].Outstanding += points;
        }

        _metrics.WalCommitted(points);
        if (_activeLength >= _segmentBytes)
        {
            Seal();
        }

        return segment;
    }

    /// <summary>Removes a partly written group, so the segment ends on a whole record; if that fails too, the segment is abandoned.</summary>
    private void CutBack(FileStream active, long start)
    {
        try
        {
            active.SetLength(start);
            active.Flush(flushToDisk: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Replay stops at the torn record of this segment; later appends go to a new one.
            Seal();
        }
    }

    /// <summary>Closes the active segment; it is deleted as soon as all its entries are stored.</summary>
    private void Seal()
    {
        _activeLength = 0;
        long sealedSegment;
        lock (_gate)
        {
            sealedSegment = _activeSegment;
            if (_segments.TryGetValue(sealedSegment, out var state))
            {
                state.Sealed = true;
            }

            _activeSegment++;
        }

        Release(sealedSegment, 0);
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left for the next start, which replays it: the store keeps exact replays once.
            LogDeleteFailed(path, exception.Message);
        }
    }

    private string PathOf(long segment) => Path.Combine(Directory, segment.ToString("D12", CultureInfo.InvariantCulture) + Suffix);

    private static long SequenceOf(string file) => long.Parse(Path.GetFileName(file)[..^Suffix.Length], CultureInfo.InvariantCulture);

    private sealed record PendingAppend(byte[] Record, int Count, TaskCompletionSource<long> Done);

    private sealed class Segment
    {
        public int Outstanding;
        public bool Sealed;
        public bool Unread;
    }

    [LoggerMessage(7101, LogLevel.Error, "Telemetry write-ahead log append failed ({Reason}); {Points} point(s) not acknowledged")]
    private partial void LogAppendFailed(string reason, int points);

    [LoggerMessage(7102, LogLevel.Information, "Telemetry write-ahead log segment {Segment}: {Points} point(s) left by the last process are replayed")]
    private partial void LogRecovered(long segment, int points);

    [LoggerMessage(7103, LogLevel.Warning, "Telemetry write-ahead log segment {Segment} ends in {Bytes} byte(s) of a write that never completed; ignored (never acknowledged)")]
    private partial void LogTornTail(long segment, int bytes);

    [LoggerMessage(7104, LogLevel.Warning, "Telemetry write-ahead log segment {Path} could not be deleted ({Reason}); it is replayed at the next start")]
    private partial void LogDeleteFailed(string path, string reason);
}

/// <summary>No durable place took the readings: they must not be acknowledged.</summary>
public sealed class TelemetryNotDurableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>CRC-32 (IEEE), to tell a whole WAL record from a torn one.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = CreateTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
