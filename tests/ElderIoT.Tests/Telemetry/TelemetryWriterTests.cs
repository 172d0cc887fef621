using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Influx;
using ElderIoT.Telemetry.Pipeline;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Telemetry;

/// <summary>The batched writer in front of a real influxd that goes away under traffic and comes back.</summary>
public sealed class TelemetryWriterTests(InfluxServer influx) : IClassFixture<InfluxServer>
{
    [Fact]
    public async Task EveryReadingArrivesExactlyOnceAcrossAnInfluxdOutage()
    {
        var options = Options.Create(new TelemetryOptions
        {
            Store = "influxdb",
            BatchSize = 200,
            BatchAge = TimeSpan.FromMilliseconds(50),
            InfluxDb = new InfluxDbOptions { Url = influx.Url, Database = "outage", Timeout = TimeSpan.FromSeconds(2) },
        });
        var store = InfluxStores.V1(options);
        var metrics = new TelemetryMetrics(new TestMeters());
        var writer = TestWriters.Create(store, new TelemetrySpool(RepoPaths.TempDirectory("spool")), metrics, options);
        await writer.StartAsync(CancellationToken.None);
        var elder = Guid.NewGuid();
        var start = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
        var sent = 0;

        async Task SendAsync(int count)
        {
            for (var i = 0; i < count; i++, sent++)
            {
                await writer.EnqueueAsync(new ReadingEntry(elder, "w-outage", new TelemetryReading(start.AddSeconds(sent), null, 60 + sent % 40, null, null, null, null, null, null)));
                if (i % 100 == 0)
                {
                    await Task.Delay(10); // traffic, not one burst
                }
            }
        }

        await SendAsync(1000);
        await influx.StopAsync();
        await SendAsync(1000);
        await TestNode.EventuallyAsync(() => Task.FromResult(metrics.Spooled), spooled => spooled > 0, "batches to be spooled while influxd is down");
        await influx.StartAsync();
        await SendAsync(1000);

        await TestNode.EventuallyAsync(
            () => Task.FromResult(metrics.Written + metrics.Replayed), stored => stored == sent && writer.SpooledBatches == 0, "every point to be written or replayed", TimeSpan.FromSeconds(60));
        var stored = await store.GetReadingsAsync("w-outage", start, start.AddSeconds(sent), 10_000, CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(3000, stored.Count);
        Assert.Equal(3000, stored.Select(r => r.Reading.Timestamp).Distinct().Count());
        Assert.Equal(0, metrics.Dropped);
        Assert.True(metrics.Replayed > 0);
    }

    [Fact]
    public async Task WhatIsStillQueuedAtShutdownIsWrittenOrSpooledNotLost()
    {
        var spoolDirectory = RepoPaths.TempDirectory("spool-shutdown");
        var options = Options.Create(new TelemetryOptions
        {
            Store = "influxdb",
            BatchAge = TimeSpan.FromMinutes(10),
            // Nobody listens on this port: every write fails, everything must end on the spool.
            InfluxDb = new InfluxDbOptions { Url = new Uri($"http://127.0.0.1:{FreePort.Next()}"), Database = "none", Timeout = TimeSpan.FromSeconds(1) },
        });
        var metrics = new TelemetryMetrics(new TestMeters());
        var writer = TestWriters.Create(
            InfluxStores.V1(options),
            new TelemetrySpool(spoolDirectory), metrics, options);
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            await writer.EnqueueAsync(new ReadingEntry(Guid.NewGuid(), "w", new TelemetryReading(DateTimeOffset.UnixEpoch.AddDays(20000).AddSeconds(i), null, 70, null, null, null, null, null, null)));
        }

        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(10, metrics.Spooled);
        var reopened = new TelemetrySpool(spoolDirectory);
        Assert.Equal(10, (await reopened.PeekOldestAsync(CancellationToken.None))!.Value.Batch.Count);
    }
}
