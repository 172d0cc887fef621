using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Embedded;
using ElderIoT.Telemetry.Pipeline;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Durability;

/// <summary>The telemetry writer, its spool and its write-ahead log against broken files and failing disks.</summary>
public sealed class TelemetryFaultTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AHalfWrittenOrUnreadableSpoolFileIsQuarantinedCountedAndDoesNotBlockTheBatchesBehindIt()
    {
        var spoolDirectory = RepoPaths.TempDirectory("spool-broken");
        var good = new TelemetrySpool(spoolDirectory);
        await good.AppendAsync(Readings("w-spool", 0, 30), CancellationToken.None);
        File.Move(Path.Combine(spoolDirectory, "000000000001.batch.json"), Path.Combine(spoolDirectory, "000000000003.batch.json"));
        await File.WriteAllTextAsync(Path.Combine(spoolDirectory, "000000000002.batch.json"), """[{"$kind":"reading","ElderId":""");
        await File.WriteAllBytesAsync(Path.Combine(spoolDirectory, "000000000004.batch.json.tmp"), []);
        var (options, store) = EmbeddedStore();
        var metrics = new TelemetryMetrics(new TestMeters());

        var writer = TestWriters.Create(store, new TelemetrySpool(spoolDirectory, metrics), metrics, options);
        await writer.StartAsync(CancellationToken.None);
        await writer.EnqueueAsync(Readings("w-spool", 30, 1)[0]); // wakes the writer, which drains the spool first
        await TestNode.EventuallyAsync(() => Task.FromResult(metrics.Replayed + metrics.Written), n => n == 31, "the readable batch to be replayed");
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(31, (await store.GetReadingsAsync("w-spool", Start, Start.AddHours(1), 1000, CancellationToken.None)).Count);
        Assert.Equal(2, metrics.SpoolQuarantined);
        Assert.Equal(["000000000002.batch.json", "000000000004.batch.json.tmp"],
            Directory.EnumerateFiles(Path.Combine(spoolDirectory, "quarantine")).Select(f => Path.GetFileName(f)!).Order().ToArray());
        Assert.Empty(Directory.EnumerateFiles(spoolDirectory));
    }

    [Fact]
    public async Task WhenTheStoreAndTheSpoolBothFailTheWriterKeepsTheBatchSaysSoAndStoresItOnceTheStoreIsBack()
    {
        var spoolDirectory = RepoPaths.TempDirectory("spool-failing");
        var (options, embedded) = EmbeddedStore();
        var store = new SwitchableTelemetryStore { Down = true };
        var metrics = new TelemetryMetrics(new TestMeters());
        var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var spool = new TelemetrySpool(spoolDirectory, metrics);
        // The spool's folder is gone and a file holds its name: no batch can be written there.
        Directory.Delete(spoolDirectory);
        await File.WriteAllTextAsync(spoolDirectory, "not a folder");

        var writer = TestWriters.Create(store.Wrap(embedded), spool, metrics, options, logs: loggerFactory);
        await writer.StartAsync(CancellationToken.None);
        await writer.AppendDurablyAsync(Readings("w-stuck", 0, 50));
        await TestNode.EventuallyAsync(() => Task.FromResult(metrics.SpoolFailures), f => f >= 2, "the spool write to fail and be retried");

        Assert.Contains(logs.Entries, e => e.Message.Contains("spool write failed") && e.Message.Contains("50 point(s) kept in memory"));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("spooled to disk"));
        Assert.Equal(0, metrics.Spooled);
        Assert.NotNull(writer.Stuck);

        store.Down = false;
        await TestNode.EventuallyAsync(() => Task.FromResult(metrics.Written), w => w == 50, "the kept batch to be written once the store is back");
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(50, (await embedded.GetReadingsAsync("w-stuck", Start, Start.AddHours(1), 1000, CancellationToken.None)).Count);
        Assert.Contains(logs.Entries, e => e.Message.Contains("Background worker telemetry-writer resumed"));
        Assert.Null(writer.Stuck);
    }

    [Fact]
    public async Task TheLogReplaysEveryWholeAppendAfterACrashIgnoresATornTailAndDeletesSegmentsOnceStored()
    {
        var walDirectory = RepoPaths.TempDirectory("wal-crash");
        var metrics = new TelemetryMetrics(new TestMeters());
        var crashed = new TelemetryWal(walDirectory, 64 * 1024, metrics, NullLogger<TelemetryWal>.Instance);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => crashed.AppendAsync(Readings("w-wal", i * 100, 100), CancellationToken.None)));
        // The process dies in the middle of the next write: half a record at the end of the last segment.
        var last = Directory.EnumerateFiles(walDirectory, "*.wal").Order().Last();
        await File.AppendAllBytesAsync(last, [0x00, 0x04, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78, .. "torn"u8.ToArray()]);

        var (options, store) = EmbeddedStore();
        var restartedMetrics = new TelemetryMetrics(new TestMeters());
        var wal = new TelemetryWal(walDirectory, 64 * 1024, restartedMetrics, NullLogger<TelemetryWal>.Instance);
        var writer = TestWriters.Create(store, new TelemetrySpool(RepoPaths.TempDirectory("spool"), restartedMetrics), restartedMetrics, options, wal);
        Assert.NotEmpty(wal.RecoveredSegments);
        await writer.StartAsync(CancellationToken.None);
        await TestNode.EventuallyAsync(() => Task.FromResult(restartedMetrics.Written), w => w == 1000, "the log to be replayed into the store");
        await TestNode.EventuallyAsync(() => Task.FromResult(wal.SegmentCount), n => n == 0, "the replayed segments to be deleted");
        await writer.StopAsync(CancellationToken.None);

        var stored = await store.GetReadingsAsync("w-wal", Start, Start.AddHours(2), 10_000, CancellationToken.None);
        Assert.Equal(1000, stored.Count);
        Assert.Equal(1000, stored.Select(r => r.Reading.Timestamp).Distinct().Count());
        Assert.Empty(Directory.EnumerateFiles(walDirectory, "*.wal"));
    }

    [Fact]
    public async Task ConcurrentAppendsShareFsyncs()
    {
        var metrics = new TelemetryMetrics(new TestMeters());
        await using var wal = new TelemetryWal(RepoPaths.TempDirectory("wal-group"), 4 * 1024 * 1024, metrics, NullLogger<TelemetryWal>.Instance);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => wal.AppendAsync(Readings($"w-{i}", 0, 1), CancellationToken.None))));

        Assert.Equal(200, metrics.WalAppended);
        Assert.True(metrics.WalCommits < 200, $"{metrics.WalCommits} fsyncs for 200 concurrent appends");
    }

    private static List<TelemetryEntry> Readings(string deviceId, int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => (TelemetryEntry)new ReadingEntry(
            Guid.Parse("00000000-0000-0000-0000-000000000016"), deviceId, new TelemetryReading(Start.AddSeconds(i), null, 70, null, null, null, i, null, null)))];

    private static (IOptions<TelemetryOptions> Options, EmbeddedTelemetryStore Store) EmbeddedStore()
    {
        var options = Options.Create(new TelemetryOptions { BatchSize = 200, BatchAge = TimeSpan.FromMilliseconds(50), WalSegmentBytes = 64 * 1024 });
        return (options, new EmbeddedTelemetryStore(Path.Combine(RepoPaths.TempDirectory("telemetry"), "telemetry.db"), options, TimeProvider.System));
    }
}
