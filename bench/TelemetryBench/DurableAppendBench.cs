using System.Diagnostics;
using System.Globalization;
using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ElderIoT.TelemetryBench;

/// <summary>
/// The cost of a QoS 1 PUBACK: appends per second through <see cref="ITelemetryWriter.AppendDurablyAsync"/>
/// (one reading each, as one MQTT message) and fsyncs per second of the write-ahead log, with 1, 10 and
/// 100 concurrent writers, each awaiting its append before the next as a device awaits its PUBACK.
/// </summary>
internal static class DurableAppendBench
{
    public static async Task<int> RunAsync(string dataDirectory, int[] writerCounts, TimeSpan duration)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telemetry:Store"] = "embedded",
            ["Storage:DataDirectory"] = dataDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddElderIoTTelemetry();
        using var host = builder.Build();
        await host.StartAsync();
        var writer = host.Services.GetRequiredService<ITelemetryWriter>();
        var metrics = host.Services.GetRequiredService<TelemetryMetrics>();
        Console.WriteLine($"write-ahead log in {dataDirectory}, {duration.TotalSeconds:0} s per run");
        Console.WriteLine("writers | appends/s | fsyncs/s | appends per fsync | append p50 ms | p99 ms");

        foreach (var writers in writerCounts)
        {
            var commitsBefore = metrics.WalCommits;
            var latencies = new List<double>[writers];
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                var mine = latencies[w] = [];
                var elder = Guid.NewGuid();
                var at = DateTimeOffset.UtcNow.AddDays(-1);
                for (var i = 0; clock.Elapsed < duration; i++)
                {
                    var reading = new TelemetryReading(at.AddMilliseconds(i), new GeoPosition(32.06, 118.78, 10), 60 + i % 40, 97, null, null, i, 80, true);
                    var started = Stopwatch.GetTimestamp();
                    await writer.AppendDurablyAsync([new ReadingEntry(elder, $"wal-bench-{writers}-{w}", reading)]);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            })));
            var elapsed = clock.Elapsed.TotalSeconds;
            var all = latencies.SelectMany(l => l).Order().ToArray();
            var fsyncs = metrics.WalCommits - commitsBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{writers,7} | {all.Length / elapsed,9:0} | {fsyncs / elapsed,8:0} | {(double)all.Length / Math.Max(1, fsyncs),17:0.0} | {Percentile(all, 50),12:0.00} | {Percentile(all, 99),6:0.00}"));
        }

        await host.StopAsync();
        return 0;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
