using System.Globalization;
using System.Text.Json;

namespace ElderIoT.Telemetry.Pipeline;

/// <summary>
/// Batches that could not be written, kept on disk in order until the store takes them. One file per
/// batch, named by a sequence number; each is written whole (temp file, then rename) so a crash
/// never leaves half a batch. Survives restarts: what is spooled is replayed by the next process.
/// </summary>
internal sealed class TelemetrySpool
{
    private const string Suffix = ".batch.json";
    private readonly string _directory;
    private long _nextSequence;

    public TelemetrySpool(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.EnumerateFiles(directory, "*.tmp"))
        {
            File.Delete(stale); // half a batch, cut short by a crash: unreadable, so of no use
        }

        _nextSequence = Files().Select(SequenceOf).DefaultIfEmpty(0).Max() + 1;
        PendingBatches = Files().Count();
    }

    public int PendingBatches { get; private set; }

    public bool IsEmpty => PendingBatches == 0;

    public async Task AppendAsync(IReadOnlyList<TelemetryEntry> batch, CancellationToken cancellationToken)
    {
        var name = Path.Combine(_directory, _nextSequence.ToString("D12", CultureInfo.InvariantCulture) + Suffix);
        var temp = name + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.WriteThrough))
        {
            await JsonSerializer.SerializeAsync(stream, batch, cancellationToken: cancellationToken);
        }

        File.Move(temp, name);
        _nextSequence++;
        PendingBatches++;
    }

    /// <summary>The oldest spooled batch, or null when the spool is empty.</summary>
    public async Task<(string File, IReadOnlyList<TelemetryEntry> Batch)?> PeekOldestAsync(CancellationToken cancellationToken)
    {
        var oldest = Files().OrderBy(SequenceOf).FirstOrDefault();
        if (oldest is null)
        {
            PendingBatches = 0;
            return null;
        }

        await using var stream = File.OpenRead(oldest);
        var batch = await JsonSerializer.DeserializeAsync<List<TelemetryEntry>>(stream, cancellationToken: cancellationToken) ?? [];
        return (oldest, batch);
    }

    public void Remove(string file)
    {
        File.Delete(file);
        PendingBatches = Math.Max(0, PendingBatches - 1);
    }

    private IEnumerable<string> Files() => Directory.EnumerateFiles(_directory, "*" + Suffix);

    private static long SequenceOf(string file) =>
        long.Parse(Path.GetFileName(file)[..^Suffix.Length], CultureInfo.InvariantCulture);
}
