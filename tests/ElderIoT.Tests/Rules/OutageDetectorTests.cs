using ElderIoT.Rules;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Rules;

/// <summary>Many devices silent at once are one outage naming its scope; a device silent alone is raised alone.</summary>
public sealed class OutageDetectorTests
{
    private const string Gulou = "南京市/鼓楼区/宁海路街道/颐和路社区";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero));
    private readonly OutageDetector _detector = new(OutageSettings.Default);

    [Fact]
    public void AThousandDevicesSilentInOneMinuteAreOneOutageAndNoAlarmOfTheirOwn()
    {
        var start = _clock.GetUtcNow();
        var decisions = new List<OutageDecisions>();
        // Sweeps every 15 s find the devices as they pass their intervals over one minute.
        for (var sweep = 0; sweep < 5; sweep++)
        {
            var found = Enumerable.Range(0, 1000).Where(i => i % 5 <= sweep)
                .Select(i => ($"w{i}", Gulou, start.AddSeconds(i % 5 * 15)));
            decisions.Add(_detector.Report(found, _ => 2000, _clock.GetUtcNow()));
            _clock.Advance(TimeSpan.FromSeconds(15));
        }

        decisions.Add(_detector.Report([], _ => 2000, _clock.GetUtcNow().AddMinutes(5)));

        var outage = Assert.Single(decisions.SelectMany(d => d.Started));
        Assert.Equal("南京市/鼓楼区", outage.Scope);
        Assert.Empty(decisions.SelectMany(d => d.RaiseAlone));
        Assert.Equal(1000, decisions.SelectMany(d => d.Suppressed).Select(s => s.DeviceId).Distinct().Count());
        Assert.Equal(1000, outage.Peak);
    }

    [Fact]
    public void ADeviceSilentAloneIsRaisedAfterOneWindowNotBefore()
    {
        var now = _clock.GetUtcNow();
        Assert.Empty(_detector.Report([("w1", Gulou, now)], _ => 500, now).RaiseAlone);
        Assert.Empty(_detector.Report([("w1", Gulou, now)], _ => 500, now.AddSeconds(30)).RaiseAlone);

        Assert.Equal(["w1"], _detector.Report([("w1", Gulou, now)], _ => 500, now.AddMinutes(1)).RaiseAlone);
    }

    [Fact]
    public void ADeviceBackBeforeItsWindowIsNeverRaised()
    {
        var now = _clock.GetUtcNow();
        _detector.Report([("w1", Gulou, now)], _ => 500, now);
        _detector.Back("w1", now.AddSeconds(20));

        Assert.True(_detector.Report([], _ => 500, now.AddMinutes(2)).IsEmpty);
    }

    [Fact]
    public void HalfOfASmallDistrictSilentAtOnceIsAnOutage()
    {
        var now = _clock.GetUtcNow();
        var found = Enumerable.Range(0, 12).Select(i => ($"w{i}", "苏州市/姑苏区/x/y", now));

        var decisions = _detector.Report(found, scope => scope == "苏州市/姑苏区" ? 20 : 0, now);

        Assert.Equal("苏州市/姑苏区", Assert.Single(decisions.Started).Scope);
    }

    [Fact]
    public void TheOutageEndsWhenItsDevicesComeBackAndTheStragglersAreRaisedAlone()
    {
        var now = _clock.GetUtcNow();
        var found = Enumerable.Range(0, 100).Select(i => ($"w{i}", Gulou, now)).ToList();
        var outage = Assert.Single(_detector.Report(found, _ => 1000, now).Started);
        // Another device of the district going silent while the outage lasts joins it.
        Assert.Equal(outage, Assert.Single(_detector.Report([("late", Gulou, now.AddMinutes(3))], _ => 1000, now.AddMinutes(3)).Suppressed).Outage);

        var ended = new List<OutageDecisions>();
        for (var i = 0; i < 92; i++)
        {
            ended.Add(_detector.Back($"w{i}", now.AddMinutes(10)));
        }

        // 101 at the peak; once no more than a tenth (10) is still silent it is over, and those ten are raised alone.
        Assert.Same(outage, Assert.Single(ended.SelectMany(d => d.Ended)));
        Assert.Equal(10, ended.SelectMany(d => d.RaiseAlone).Count());
        Assert.Contains("late", ended.SelectMany(d => d.RaiseAlone));
        Assert.Empty(_detector.Active);
    }

    [Fact]
    public void SilencesInTwoDistrictsAreTwoScopes()
    {
        var now = _clock.GetUtcNow();
        var found = Enumerable.Range(0, 60).Select(i => ($"a{i}", "南京市/鼓楼区/a/b", now))
            .Concat(Enumerable.Range(0, 3).Select(i => ($"b{i}", "南京市/玄武区/a/b", now)));

        var decisions = _detector.Report(found, _ => 1000, now);

        Assert.Equal("南京市/鼓楼区", Assert.Single(decisions.Started).Scope);
        Assert.Equal(3, _detector.PendingCount);
    }
}
