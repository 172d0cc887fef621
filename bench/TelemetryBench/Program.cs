using System.Diagnostics;
using System.Globalization;
using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Points per second from the batched writer into a telemetry store, with per-batch write latency.
// Usage: ElderIoT.TelemetryBench [--store influxdb|embedded] [--influx URL] [--points N] [--batch N] [--devices N]
//        ElderIoT.TelemetryBench --durable [--dir DIR] [--writers 1,10,100] [--seconds 10]   (the QoS 1 path: write-ahead log group commit)
if (args.Contains("--durable"))
{
    return await ElderIoT.TelemetryBench.DurableAppendBench.RunAsync(
        Arg("--dir", Path.Combine(Path.GetTempPath(), $"elderiot-wal-bench-{Guid.NewGuid():N}")),
        [.. Arg("--writers", "1,10,100").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))],
        TimeSpan.FromSeconds(int.Parse(Arg("--seconds", "10"), CultureInfo.InvariantCulture)));
}

var settings = new Dictionary<string, string?>
{
    ["Telemetry:Store"] = Arg("--store", "influxdb"),
    ["Telemetry:InfluxDb:Url"] = Arg("--influx", "http://127.0.0.1:8086"),
    ["Telemetry:InfluxDb:Database"] = "elderiot_bench",
    ["Telemetry:BatchSize"] = Arg("--batch", "5000"),
    ["Telemetry:QueueCapacity"] = "100000",
    ["Storage:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"elderiot-bench-{Guid.NewGuid():N}"),
};
var points = int.Parse(Arg("--points", "200000"), CultureInfo.InvariantCulture);
var devices = int.Parse(Arg("--devices", "1000"), CultureInfo.InvariantCulture);

var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(settings);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddElderIoTTelemetry();
using var host = builder.Build();

var batchDurations = new List<double>();
using var listener = new System.Diagnostics.Metrics.MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Name == "elderiot.telemetry.write_duration")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
{
    lock (batchDurations)
    {
        batchDurations.Add(value);
    }
});
listener.Start();

await host.StartAsync();
var writer = host.Services.GetRequiredService<ElderIoT.Telemetry.Pipeline.ITelemetryWriter>();
var store = host.Services.GetRequiredService<ITelemetryStore>();
var run = Guid.NewGuid().ToString("N")[..8];
var elders = Enumerable.Range(0, devices).Select(_ => Guid.NewGuid()).ToArray();
var start = DateTimeOffset.UtcNow.AddDays(-1);
start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerMillisecond));

var clock = Stopwatch.StartNew();
for (var i = 0; i < points; i++)
{
    var device = i % devices;
    var reading = new TelemetryReading(start.AddMilliseconds(i / devices * 1000), new GeoPosition(32.06 + device * 1e-5, 118.78, 10), 60 + i % 40, 97, null, null, i, 80, true);
    await writer.EnqueueAsync(new ReadingEntry(elders[device], $"bench-{run}-{device}", reading));
}

await host.StopAsync(); // drains the queue
var elapsed = clock.Elapsed;
var sample = await store.GetReadingsAsync($"bench-{run}-0", start.AddDays(-1), start.AddDays(1), points, CancellationToken.None);

double Percentile(double p)
{
    var sorted = batchDurations.Order().ToArray();
    return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"store {settings["Telemetry:Store"]}, {points} points from {devices} devices, batch {settings["Telemetry:BatchSize"]}: " +
    $"{points / elapsed.TotalSeconds:0} points/s ({elapsed.TotalSeconds:0.00} s), {batchDurations.Count} batches, " +
    $"batch write p50 {Percentile(50):0.0} ms, p95 {Percentile(95):0.0} ms, p99 {Percentile(99):0.0} ms, max {Percentile(100):0.0} ms; " +
    $"device bench-{run}-0 has {sample.Count} of {points / devices} points"));
return sample.Count == points / devices ? 0 : 1;

string Arg(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
