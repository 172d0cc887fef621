using ElderIoT.Hosting;
using System.Globalization;
using System.Text.Json;

namespace ElderIoT.Telemetry.Pipeline;

/// <summary>
/// Batches that could not be written, kept on disk in order until the store takes them. One file per
/// batch, named by a sequence number; each is written whole (temp file, fsync, then rename) so a crash
/// never leaves half a batch under a batch's name. Survives restarts: what is spooled is replayed by
/// the next process. A half-written temp file or a batch that cannot be read is never taken for a
/// batch: it is moved to <c>quarantine/</c> (kept for a person to look at) and replay goes on.
/// </summary>
internal sealed class TelemetrySpool
{
    private const string Suffix = ".batch.json";
    private readonly string _directory;
    private readonly TelemetryMetrics? _metrics;
    private long _nextSequence;

    public TelemetrySpool(string directory, TelemetryMetrics? metrics = null)
    {
        _directory = directory;
        _metrics = metrics;
        PrivateFiles.CreateDirectory(directory);
        foreach (var stale in Directory.EnumerateFiles(directory, "*.tmp"))
        {
            Quarantine(stale, "half_written"); // cut short by a crash or a full disk: never acknowledged as spooled
        }

        _nextSequence = Files().Select(SequenceOf).DefaultIfEmpty(0).Max() + 1;
        PendingBatches = Files().Count();
    }

    public int PendingBatches { get; private set; }

    public bool IsEmpty => PendingBatches == 0;

    /// <summary>Folder where unreadable files are set aside.</summary>
    public string QuarantineDirectory => Path.Combine(_directory, "quarantine");

    public async Task AppendAsync(IReadOnlyList<TelemetryEntry> batch, CancellationToken cancellationToken)
    {
        var name = Path.Combine(_directory, _nextSequence.ToString("D12", CultureInfo.InvariantCulture) + Suffix);
        var temp = name + ".tmp";
        try
        {
            await using (var stream = new FileStream(temp, PrivateFiles.Options(FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024)))
            {
                await JsonSerializer.SerializeAsync(stream, batch, cancellationToken: cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, name);
        }
        catch
        {
            TryDelete(temp); // a half-written batch is of no use, and it holds space the disk lacks
            throw;
        }

        _nextSequence++;
        PendingBatches++;
    }

    /// <summary>The oldest readable spooled batch, or null when the spool is empty. Unreadable files are quarantined on the way.</summary>
    public async Task<(string File, IReadOnlyList<TelemetryEntry> Batch)?> PeekOldestAsync(CancellationToken cancellationToken)
    {
        foreach (var oldest in Files().OrderBy(SequenceOf).ToList())
        {
            try
            {
                await using var stream = File.OpenRead(oldest);
                var batch = await JsonSerializer.DeserializeAsync<List<TelemetryEntry>>(stream, cancellationToken: cancellationToken) ?? [];
                return (oldest, batch);
            }
            catch (Exception exception) when (exception is JsonException or NotSupportedException)
            {
                Quarantine(oldest, "unreadable");
                PendingBatches = Math.Max(0, PendingBatches - 1);
            }
        }

        PendingBatches = 0;
        return null;
    }

    public void Remove(string file)
    {
        File.Delete(file);
        PendingBatches = Math.Max(0, PendingBatches - 1);
    }

    private void Quarantine(string file, string reason)
    {
        _metrics?.SpoolQuarantinedFile(reason);
        try
        {
            PrivateFiles.CreateDirectory(QuarantineDirectory);
            File.Move(file, Path.Combine(QuarantineDirectory, Path.GetFileName(file)), overwrite: true);
        }
        catch (IOException)
        {
            TryDelete(file); // no room even to move it: it must not block replay
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Read-only: found again and quarantined at the next start.
        }
    }

    private IEnumerable<string> Files() => Directory.EnumerateFiles(_directory, "*" + Suffix);

    private static long SequenceOf(string file) =>
        long.Parse(Path.GetFileName(file)[..^Suffix.Length], CultureInfo.InvariantCulture);
}
