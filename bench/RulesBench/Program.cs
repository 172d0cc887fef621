using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Rules;

// The cost of the detection rules per reading, as the grains run them: the device grain's battery
// and not-worn rules, then the elder grain's vitals and inactivity rules, for 10 000 elders whose
// readings are mostly normal with a share out of range (runs that build, raise and recover).
// A short job, in process: the machine is shared (see docs/benchmarks.md).
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(5).WithLaunchCount(1).WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(RuleEvaluation).Assembly).Run(args, config);

[MemoryDiagnoser]
public class RuleEvaluation
{
    private const int Elders = 10_000;
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly ElderDay Day = new(DailyWindow.Parse("07:00-22:00"), Zone);

    private VitalsRule[] _vitals = [];
    private InactivityRule[] _inactivity = [];
    private BatteryRule[] _battery = [];
    private NotWornRule[] _notWorn = [];
    private TelemetryReading[] _readings = [];
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _now = new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
        _vitals = [.. Enumerable.Range(0, Elders).Select(i => new VitalsRule(VitalThresholds.ForCareLevel((CareLevel)(i % 3))))];
        _inactivity = [.. Enumerable.Range(0, Elders).Select(_ => new InactivityRule(Day, TimeSpan.FromHours(4)))];
        _battery = [.. Enumerable.Range(0, Elders).Select(_ => new BatteryRule(15))];
        _notWorn = [.. Enumerable.Range(0, Elders).Select(_ => new NotWornRule(Day, TimeSpan.FromMinutes(30)))];
        // One in ten readings out of range, so runs build, raise and recover as in a real district.
        _readings = [.. Enumerable.Range(0, Elders * 4).Select(i => new TelemetryReading(
            _now.AddSeconds(-i % 60), null,
            random.Next(10) == 0 ? 170 : 60 + random.Next(30),
            random.Next(10) == 0 ? 86 : 95 + random.Next(4),
            random.Next(10) == 0 ? 200 : 110 + random.Next(30),
            70, 1000 + i / 7, 5 + random.Next(95), random.Next(20) != 0))];
    }

    /// <summary>One reading of each of the 10 000 elders through all four rules; reported per reading.</summary>
    [Benchmark(OperationsPerInvoke = Elders)]
    public int OneReadingPerElder()
    {
        var changes = 0;
        for (var i = 0; i < Elders; i++)
        {
            var reading = _readings[(i * 4 + (int)(_now.Ticks % 4)) % _readings.Length];
            changes += (int)_battery[i].Level(reading.Battery) + (int)_notWorn[i].Worn(reading.Worn, _now);
            changes += _vitals[i].Evaluate(reading, "w", _now).Count;
            changes += (int)_inactivity[i].Steps(reading.Steps, reading.Worn, _now);
        }

        _now = _now.AddSeconds(30);
        return changes;
    }
}
