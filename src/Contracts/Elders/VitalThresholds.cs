namespace ElderIoT.Contracts.Elders;

/// <summary>
/// The vitals rule's limits for one elder: a reading beyond one of them, sustained for
/// <see cref="SustainReadings"/> readings in a row or <see cref="SustainSeconds"/>, raises a vitals alarm.
/// </summary>
/// <param name="HeartRateHigh">Beats per minute above which the heart rate is high.</param>
/// <param name="HeartRateLow">Beats per minute below which the heart rate is low.</param>
/// <param name="SpO2Low">Oxygen saturation (%) below which it is low.</param>
/// <param name="SystolicHigh">Systolic pressure (mmHg) above which blood pressure is high.</param>
/// <param name="SystolicLow">Systolic pressure (mmHg) below which blood pressure is low.</param>
/// <param name="SustainReadings">Out-of-range readings in a row that confirm the condition (at least 2: one reading pages no one).</param>
/// <param name="SustainSeconds">Or: out of range for this long (from the first to the latest such reading, at least two readings).</param>
[GenerateSerializer, Immutable]
public sealed record VitalThresholds(
    [property: Id(0)] int HeartRateHigh,
    [property: Id(1)] int HeartRateLow,
    [property: Id(2)] int SpO2Low,
    [property: Id(3)] int SystolicHigh,
    [property: Id(4)] int SystolicLow,
    [property: Id(5)] int SustainReadings,
    [property: Id(6)] int SustainSeconds)
{
    /// <summary>
    /// The centre's defaults by care level (a starting point the elder's doctor overrides, not medical
    /// advice): the more care an elder needs, the earlier a deviation is worth a seat's look.
    /// </summary>
    public static VitalThresholds ForCareLevel(CareLevel? level) => level switch
    {
        CareLevel.SelfCare => new(120, 45, 90, 180, 90, 3, 300),
        CareLevel.Nursing => new(110, 50, 92, 160, 90, 3, 300),
        _ => new(115, 48, 92, 170, 90, 3, 300),
    };

    /// <summary>The limits with the elder's own values in place of the defaults.</summary>
    public VitalThresholds With(VitalThresholdsOverride? own) => own is null ? this : new(
        own.HeartRateHigh ?? HeartRateHigh,
        own.HeartRateLow ?? HeartRateLow,
        own.SpO2Low ?? SpO2Low,
        own.SystolicHigh ?? SystolicHigh,
        own.SystolicLow ?? SystolicLow,
        own.SustainReadings ?? SustainReadings,
        own.SustainSeconds ?? SustainSeconds);
}

/// <summary>An elder's own vitals limits; null fields take the care level's default.</summary>
[GenerateSerializer, Immutable]
public sealed record VitalThresholdsOverride(
    [property: Id(0)] int? HeartRateHigh,
    [property: Id(1)] int? HeartRateLow,
    [property: Id(2)] int? SpO2Low,
    [property: Id(3)] int? SystolicHigh,
    [property: Id(4)] int? SystolicLow,
    [property: Id(5)] int? SustainReadings,
    [property: Id(6)] int? SustainSeconds)
{
    /// <summary>True when every field is null (the elder follows the defaults).</summary>
    public bool IsEmpty => this == new VitalThresholdsOverride(null, null, null, null, null, null, null);

    /// <summary>
    /// The fields that are out of their plausible range, each with the range it must be in: the one
    /// check the API and the elder grain both make. A low limit must also be below its high limit
    /// (after defaults are applied), so its range ends just below that.
    /// </summary>
    public IReadOnlyList<ThresholdProblem> Problems(VitalThresholds defaults)
    {
        var problems = new List<ThresholdProblem>();
        var effective = defaults.With(this);
        Check(problems, "heartRateHigh", HeartRateHigh, 60, 220);
        Check(problems, "heartRateLow", HeartRateLow, 25, Math.Min(100, effective.HeartRateHigh - 1));
        Check(problems, "spO2Low", SpO2Low, 70, 99);
        Check(problems, "systolicHigh", SystolicHigh, 100, 250);
        Check(problems, "systolicLow", SystolicLow, 50, Math.Min(140, effective.SystolicHigh - 1));
        Check(problems, "sustainReadings", SustainReadings, 2, 20);
        Check(problems, "sustainSeconds", SustainSeconds, 0, 3600);
        if (problems.Count == 0 && HeartRateLow is null && effective.HeartRateLow >= effective.HeartRateHigh)
        {
            problems.Add(new("heartRateHigh", effective.HeartRateLow + 1, 220));
        }

        if (problems.Count == 0 && SystolicLow is null && effective.SystolicLow >= effective.SystolicHigh)
        {
            problems.Add(new("systolicHigh", effective.SystolicLow + 1, 250));
        }

        return problems;
    }

    private static void Check(List<ThresholdProblem> problems, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            problems.Add(new(field, min, max));
        }
    }
}

/// <summary>A vitals limit out of range: the field (as the API names it) and the range it must be in.</summary>
public sealed record ThresholdProblem(string Field, int Min, int Max);
