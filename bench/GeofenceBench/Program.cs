using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Geofences;

// One case only, so that a run stays under 3 minutes on the shared machine (the setup compiles 300 000 zones).
// Readings judged per second for 100 000 elders with 3 zones each: a home circle, a polygon
// neighbourhood (safe, 12 vertices) and a river-bank polygon (danger, 40 vertices). Each operation
// is one reading of one elder against all their zones, as the elder grain does it.
// A short job, in process (the assembly is not named after its project, which BenchmarkDotNet's
// generated project would need): the machine is shared (see docs/benchmarks.md).
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(5).WithLaunchCount(1).WithToolchain(InProcessEmitToolchain.Instance));
if (args is ["--quick"])
{
    // A rough single pass without BenchmarkDotNet: setup time, memory, readings per second.
    var started = System.Diagnostics.Stopwatch.StartNew();
    var bench = new GeofenceEvaluation();
    bench.Setup();
    Console.WriteLine($"setup {started.Elapsed.TotalSeconds:0.0} s, heap {GC.GetTotalMemory(true) / 1_000_000} MB");
    started.Restart();
    for (var i = 0; i < 10; i++)
    {
        bench.OneReadingPerElder();
    }

    Console.WriteLine($"{1_000_000 / started.Elapsed.TotalSeconds:N0} readings/s");
    return;
}

BenchmarkRunner.Run<GeofenceEvaluation>(config, args);

[MemoryDiagnoser]
public class GeofenceEvaluation
{
    private const int Elders = 100_000;
    private GeofenceMonitor[] _monitors = [];
    private Fix[][] _fixes = [];
    private int _tick;

    [GlobalSetup]
    public void Setup()
    {
        var settings = new GeofenceSettings("Asia/Shanghai", 3, TimeSpan.FromSeconds(60), 25, 500);
        var random = new Random(7);
        _monitors = new GeofenceMonitor[Elders];
        _fixes = new Fix[Elders][];
        var t0 = new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Elders; i++)
        {
            // Elders spread over Nanjing (~30 km square).
            var lat = 31.95 + random.NextDouble() * 0.25;
            var lon = 118.65 + random.NextDouble() * 0.3;
            var fences = new[]
            {
                new GeofenceDefinition(Guid.NewGuid(), "home", GeofenceKind.Safe, true, Point(lat, lon), 150, null),
                new GeofenceDefinition(Guid.NewGuid(), "neighbourhood", GeofenceKind.Safe, false, Polygon(lat, lon, 800, 12), null, null),
                new GeofenceDefinition(Guid.NewGuid(), "river", GeofenceKind.Danger, false, Polygon(lat + 0.01, lon, 300, 40), null, null),
            };
            _monitors[i] = new GeofenceMonitor(fences.Select(f => new CompiledGeofence(f)), settings);
            // Readings within about 550 m of home: inside the home circle, across its edge, in and
            // around the neighbourhood polygon, and near the river, so every test of the rule runs.
            const double spread = 0.01;
            _fixes[i] = [.. Enumerable.Range(0, 16).Select(k => new Fix(
                lat + (random.NextDouble() - 0.5) * spread, lon + (random.NextDouble() - 0.5) * spread, 20 + random.Next(40), t0.AddSeconds(k)))];
        }
    }

    [Benchmark(OperationsPerInvoke = Elders)]
    public int OneReadingPerElder()
    {
        var transitions = 0;
        var k = _tick++;
        for (var i = 0; i < Elders; i++)
        {
            var fix = _fixes[i][k % 16];
            transitions += _monitors[i].Evaluate(fix with { At = fix.At.AddSeconds(k) }, out _).Count;
        }

        return transitions;
    }

    private static string Point(double lat, double lon) => string.Create(CultureInfo.InvariantCulture, $$"""{"type":"Point","coordinates":[{{lon}},{{lat}}]}""");

    private static string Polygon(double lat, double lon, double radiusMetres, int vertices)
    {
        var projection = new LocalProjection(lat, lon);
        var ring = Enumerable.Range(0, vertices).Select(k =>
        {
            var angle = 2 * Math.PI * k / vertices;
            var r = radiusMetres * (k % 2 == 0 ? 1 : 0.8);
            var (la, lo) = projection.Unproject(r * Math.Cos(angle), r * Math.Sin(angle));
            return string.Create(CultureInfo.InvariantCulture, $"[{lo},{la}]");
        }).ToList();
        ring.Add(ring[0]);
        return $$"""{"type":"Polygon","coordinates":[[{{string.Join(",", ring)}}]]}""";
    }
}
