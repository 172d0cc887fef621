using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Rules;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Rules;

/// <summary>The vitals rule on a fake clock: a sustained condition raises once with its readings, a single bad reading pages no one.</summary>
public sealed class VitalsRuleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero));
    private readonly VitalsRule _rule = new(VitalThresholds.ForCareLevel(CareLevel.Assisted));

    [Fact]
    public void EightReadingsOfHeartRate180RaiseOnceAtTheThirdWithTheReadings()
    {
        var raisedAt = new List<int>();
        VitalsVerdict? raised = null;
        for (var i = 1; i <= 8; i++)
        {
            foreach (var verdict in _rule.Evaluate(Reading(hr: 180), "w1", _clock.GetUtcNow()))
            {
                raisedAt.Add(i);
                raised = verdict;
            }

            _clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Equal([3], raisedAt);
        Assert.Equal((VitalSign.HeartRateHigh, RuleChange.Raised), (raised!.Sign, raised.Change));
        Assert.Equal([180, 180, 180], raised.Readings.Select(r => r.Value));
        Assert.Contains("heart rate high beyond 115", raised.Describe());
    }

    [Fact]
    public void ASingleBadReadingBetweenGoodOnesRaisesNothing()
    {
        int[] heartRates = [72, 180, 75, 190, 70, 74];
        var verdicts = heartRates.SelectMany(hr =>
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            return _rule.Evaluate(Reading(hr: hr), "w1", _clock.GetUtcNow());
        });

        Assert.Empty(verdicts);
    }

    [Fact]
    public void TwoReadingsFarEnoughApartAreSustainedByTime()
    {
        var rule = new VitalsRule(VitalThresholds.ForCareLevel(null) with { SustainReadings = 10, SustainSeconds = 300 });
        Assert.Empty(rule.Evaluate(Reading(spo2: 85), "w1", _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty(rule.Evaluate(Reading(spo2: 86), "w1", _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(1));

        var verdict = Assert.Single(rule.Evaluate(Reading(spo2: 84), "w1", _clock.GetUtcNow()));

        Assert.Equal((VitalSign.SpO2Low, RuleChange.Raised), (verdict.Sign, verdict.Change));
    }

    [Fact]
    public void AReadingBackInRangeRecoversOnceAndARunMustBuildAgain()
    {
        for (var i = 0; i < 3; i++)
        {
            _rule.Evaluate(Reading(systolic: 210), "w1", Next());
        }

        var recovered = Assert.Single(_rule.Evaluate(Reading(systolic: 130), "w1", Next()));
        Assert.Equal((VitalSign.SystolicHigh, RuleChange.Recovered), (recovered.Sign, recovered.Change));
        Assert.Empty(_rule.Evaluate(Reading(systolic: 131), "w1", Next()));
        Assert.Empty(_rule.Evaluate(Reading(systolic: 210), "w1", Next()));
        Assert.Empty(_rule.Evaluate(Reading(systolic: 211), "w1", Next()));
        Assert.Equal(RuleChange.Raised, Assert.Single(_rule.Evaluate(Reading(systolic: 212), "w1", Next())).Change);
    }

    [Fact]
    public void OneReadingCanRaiseSeveralSigns()
    {
        IReadOnlyList<VitalsVerdict> last = [];
        for (var i = 0; i < 3; i++)
        {
            last = _rule.Evaluate(Reading(hr: 180, spo2: 85, systolic: 210), "w1", Next());
        }

        Assert.Equal([VitalSign.HeartRateHigh, VitalSign.SpO2Low, VitalSign.SystolicHigh], last.Select(v => v.Sign));
    }

    [Fact]
    public void AFastDeviceClockCannotStretchARunIntoATimeSustainedOne()
    {
        var rule = new VitalsRule(VitalThresholds.ForCareLevel(null) with { SustainReadings = 10, SustainSeconds = 300 });
        var now = _clock.GetUtcNow();
        Assert.Empty(rule.Evaluate(Reading(hr: 180), "w1", now));

        // The device's clock says an hour later; the centre's says ten seconds.
        var skewed = new TelemetryReading(now.AddHours(1), null, 180, null, null, null, null, null, null);
        Assert.Empty(rule.Evaluate(skewed, "w1", now.AddSeconds(10)));
    }

    [Fact]
    public void ReadingsBufferedLongAgoAreHistoryAndRaiseNothing()
    {
        var now = _clock.GetUtcNow();
        var old = Enumerable.Range(0, 5).Select(i => new TelemetryReading(now.AddHours(-3).AddMinutes(i), null, 190, null, null, null, null, null, null));

        Assert.Empty(old.SelectMany(r => _rule.Evaluate(r, "w1", now)));
    }

    private DateTimeOffset Next()
    {
        _clock.Advance(TimeSpan.FromSeconds(30));
        return _clock.GetUtcNow();
    }

    private TelemetryReading Reading(int? hr = null, int? spo2 = null, int? systolic = null) =>
        new(_clock.GetUtcNow(), null, hr, spo2, systolic, null, null, null, null);
}

/// <summary>The one check of an elder's own vitals limits, which the API's answer names field by field.</summary>
public sealed class VitalThresholdsTests
{
    [Fact]
    public void AbsurdLimitsAreNamedWithTheRangeTheyMustBeIn()
    {
        var problems = new VitalThresholdsOverride(400, 0, 100, null, null, 1, -5).Problems(VitalThresholds.ForCareLevel(null));

        Assert.Equal(["heartRateHigh", "heartRateLow", "spO2Low", "sustainReadings", "sustainSeconds"], problems.Select(p => p.Field));
    }

    [Fact]
    public void ALowLimitAboveItsHighLimitIsRefused()
    {
        var problem = Assert.Single(new VitalThresholdsOverride(90, 95, null, null, null, null, null).Problems(VitalThresholds.ForCareLevel(null)));

        Assert.Equal(new ThresholdProblem("heartRateLow", 25, 89), problem);
    }

    [Fact]
    public void DefaultsFollowTheCareLevelAndOwnValuesReplaceThem()
    {
        var nursing = VitalThresholds.ForCareLevel(CareLevel.Nursing);
        var own = nursing.With(new VitalThresholdsOverride(130, null, null, null, null, null, null));

        Assert.True(nursing.HeartRateHigh < VitalThresholds.ForCareLevel(CareLevel.SelfCare).HeartRateHigh);
        Assert.Equal((130, nursing.HeartRateLow), (own.HeartRateHigh, own.HeartRateLow));
    }
}
