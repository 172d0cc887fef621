using System.Globalization;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;

namespace ElderIoT.Rules;

/// <summary>Which limit a vitals reading crossed.</summary>
public enum VitalSign
{
    /// <summary>Heart rate above the high limit.</summary>
    HeartRateHigh,

    /// <summary>Heart rate below the low limit.</summary>
    HeartRateLow,

    /// <summary>SpO2 below the low limit.</summary>
    SpO2Low,

    /// <summary>Systolic pressure above the high limit.</summary>
    SystolicHigh,

    /// <summary>Systolic pressure below the low limit.</summary>
    SystolicLow,
}

/// <summary>One reading of one sign, as the alarm's detail shows it.</summary>
public readonly record struct VitalSample(DateTimeOffset At, int Value, string DeviceId)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value} at {At:HH:mm:ss}Z from {DeviceId}");
}

/// <summary>A change of one sign: raised with the readings that confirmed it, or recovered with the reading back in range.</summary>
public sealed record VitalsVerdict(VitalSign Sign, RuleChange Change, int Limit, IReadOnlyList<VitalSample> Readings)
{
    /// <summary>The English detail for the alarm's timeline: what crossed which limit, with the readings.</summary>
    public string Describe() => Change == RuleChange.Raised
        ? string.Create(CultureInfo.InvariantCulture, $"{Name(Sign)} beyond {Limit} for {Readings.Count} readings: {string.Join("; ", Readings)}")
        : string.Create(CultureInfo.InvariantCulture, $"{Name(Sign)} back within {Limit}: {string.Join("; ", Readings)}");

    /// <summary>What the seat sees: the readings that confirmed it, oldest first, against the limit they crossed.</summary>
    public CentreAlarmDetail Detail() => new([.. Readings.Select(r => new AlarmReading(ReadingKind(Sign), r.Value, r.At))])
    {
        Threshold = Limit,
        Condition = Sign.ToSnakeCase(),
    };

    private static AlarmReadingKind ReadingKind(VitalSign sign) => sign switch
    {
        VitalSign.HeartRateHigh or VitalSign.HeartRateLow => AlarmReadingKind.HeartRate,
        VitalSign.SpO2Low => AlarmReadingKind.SpO2,
        _ => AlarmReadingKind.SystolicPressure,
    };

    private static string Name(VitalSign sign) => sign switch
    {
        VitalSign.HeartRateHigh => "heart rate high",
        VitalSign.HeartRateLow => "heart rate low",
        VitalSign.SpO2Low => "SpO2 low",
        VitalSign.SystolicHigh => "systolic pressure high",
        _ => "systolic pressure low",
    };
}

/// <summary>
/// The vitals rule of one elder: per sign, a run of out-of-range readings; the run confirms the
/// condition once it is <see cref="VitalThresholds.SustainReadings"/> long or spans
/// <see cref="VitalThresholds.SustainSeconds"/> (so a single bad reading, a loose strap, pages no one).
/// One reading back in range ends the run, and recovers a confirmed condition. Readings are judged by
/// their own time, but never later than now (a fast device clock cannot stretch a run), and readings
/// older than the newest seen for that sign, or older than <see cref="MaxAge"/>, are history, not news.
/// </summary>
public sealed class VitalsRule(VitalThresholds thresholds)
{
    /// <summary>A reading buffered longer than this (a watch back from a day offline) raises nothing.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(15);

    private const int KeptSamples = 8;

    private readonly Dictionary<VitalSign, Run> _runs = [];

    public VitalThresholds Thresholds { get; } = thresholds;

    /// <summary>Judges one reading; returns the signs that were raised or recovered by it (usually none).</summary>
    public IReadOnlyList<VitalsVerdict> Evaluate(TelemetryReading reading, string deviceId, DateTimeOffset now)
    {
        if (reading.HeartRate is null && reading.SpO2 is null && reading.Systolic is null)
        {
            return [];
        }

        var at = reading.Timestamp > now ? now : reading.Timestamp;
        if (now - at > MaxAge)
        {
            return [];
        }

        List<VitalsVerdict>? verdicts = null;
        var t = Thresholds;
        Judge(ref verdicts, VitalSign.HeartRateHigh, reading.HeartRate, t.HeartRateHigh, high: true, at, deviceId);
        Judge(ref verdicts, VitalSign.HeartRateLow, reading.HeartRate, t.HeartRateLow, high: false, at, deviceId);
        Judge(ref verdicts, VitalSign.SpO2Low, reading.SpO2, t.SpO2Low, high: false, at, deviceId);
        Judge(ref verdicts, VitalSign.SystolicHigh, reading.Systolic, t.SystolicHigh, high: true, at, deviceId);
        Judge(ref verdicts, VitalSign.SystolicLow, reading.Systolic, t.SystolicLow, high: false, at, deviceId);
        return verdicts ?? (IReadOnlyList<VitalsVerdict>)[];
    }

    /// <summary>The signs confirmed now and not yet recovered.</summary>
    public IEnumerable<VitalSign> Raised => _runs.Where(r => r.Value.Raised).Select(r => r.Key);

    private void Judge(ref List<VitalsVerdict>? verdicts, VitalSign sign, int? value, int limit, bool high, DateTimeOffset at, string deviceId)
    {
        if (value is not { } v)
        {
            return;
        }

        if (!_runs.TryGetValue(sign, out var run))
        {
            run = new Run();
            _runs[sign] = run;
        }

        if (run.LastAt is { } last && at < last)
        {
            return;
        }

        run.LastAt = at;
        var outside = high ? v > limit : v < limit;
        var sample = new VitalSample(at, v, deviceId);
        if (!outside)
        {
            if (run.Raised)
            {
                (verdicts ??= []).Add(new VitalsVerdict(sign, RuleChange.Recovered, limit, [sample]));
            }

            run.Reset();
            return;
        }

        run.Count++;
        run.FirstAt ??= at;
        run.Samples.Add(sample);
        if (run.Samples.Count > KeptSamples)
        {
            // The first readings say when it began, the latest how it is now.
            run.Samples.RemoveAt(1);
        }

        var sustained = run.Count >= Thresholds.SustainReadings
            || (run.Count >= 2 && at - run.FirstAt.Value >= TimeSpan.FromSeconds(Thresholds.SustainSeconds));
        if (!run.Raised && sustained)
        {
            run.Raised = true;
            (verdicts ??= []).Add(new VitalsVerdict(sign, RuleChange.Raised, limit, [.. run.Samples]));
        }
    }

    private sealed class Run
    {
        public List<VitalSample> Samples { get; } = [];

        public int Count { get; set; }

        public DateTimeOffset? FirstAt { get; set; }

        public DateTimeOffset? LastAt { get; set; }

        public bool Raised { get; set; }

        public void Reset()
        {
            Samples.Clear();
            Count = 0;
            FirstAt = null;
            Raised = false;
        }
    }
}
