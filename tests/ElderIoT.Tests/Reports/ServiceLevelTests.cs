using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ElderIoT.Contracts.Reports;
using ElderIoT.Records;
using ElderIoT.Tests.EndToEnd;
using ElderIoT.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Reports;

/// <summary>The service-level figures on a known set of alarms: exact shares and percentiles.</summary>
public sealed class ServiceLevelFiguresTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

    private static ServiceLevelAlarm Alarm(double? acceptedAfter, double? resolvedAfter = null, string kind = "sos", string? outcome = null, string district = "南京市/鼓楼区") =>
        new(district, kind, outcome, T0, acceptedAfter is { } a ? T0.AddSeconds(a) : null, resolvedAfter is { } r ? T0.AddSeconds(r) : null);

    [Fact]
    public void SharesCountEveryAlarmRaisedAndAnUnacceptedAlarmIsAMiss()
    {
        // Accepted after 10, 30, 60 (on the target), 61, 200 s; one never accepted.
        var figures = ServiceLevel.Figures([
            Alarm(10, 300, outcome: "real_emergency"), Alarm(30, 100, outcome: "false_alarm"), Alarm(60, 400, outcome: "false_alarm"),
            Alarm(61, kind: "fall"), Alarm(200, kind: "fall"), Alarm(null, kind: "smoke"),
        ]);

        Assert.Equal(6, figures.Alarms);
        Assert.Equal(1, figures.Unaccepted);
        Assert.Equal(new ServiceLevelShare(3, 6, 0.5), figures.AcceptedWithin60Seconds);
        Assert.Equal(new ServiceLevelShare(4, 6, 4 / 6d), figures.AcceptedWithin180Seconds);
        // Times to accept, sorted: 10 30 60 61 200. Median is the middle one; p90 is 61 + 0.6 × (200 − 61).
        Assert.Equal(5, figures.TimeToAccept.Count);
        Assert.Equal(60, figures.TimeToAccept.MedianSeconds);
        Assert.Equal(61 + (0.6 * 139), figures.TimeToAccept.P90Seconds!.Value, 6);
        // Times to resolve: 100 300 400; median 300, p90 300 + 0.8 × 100.
        Assert.Equal(300, figures.TimeToResolve.MedianSeconds);
        Assert.Equal(380, figures.TimeToResolve.P90Seconds!.Value, 6);
        Assert.Equal(new Dictionary<string, int> { ["false_alarm"] = 2, ["open"] = 3, ["real_emergency"] = 1 }, figures.ByOutcome);
        Assert.Equal(new Dictionary<string, int> { ["fall"] = 2, ["smoke"] = 1, ["sos"] = 3 }, figures.ByKind);
    }

    [Fact]
    public void AnEvenCountHasTheMeanOfTheTwoMiddleValuesAsItsMedian()
    {
        Assert.Equal(2.5, ServiceLevel.Percentile([1, 2, 3, 4], 0.5));
        Assert.Equal(7, ServiceLevel.Percentile([7], 0.9));
        Assert.Null(ServiceLevel.Percentile([], 0.5));
    }

    [Fact]
    public void NoAlarmsIsNoShareRatherThanAHundredPercent()
    {
        var figures = ServiceLevel.Figures([]);

        Assert.Null(figures.AcceptedWithin60Seconds.Share);
        Assert.Null(figures.TimeToAccept.MedianSeconds);
    }
}

/// <summary>GET /api/reports/service-level over alarms recorded in the node's own records.</summary>
[Collection(NodeCollection.Name)]
public sealed class ServiceLevelReportTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task TheReportGivesEachDistrictAndTheWholeCentreFromTheRecords()
    {
        var gulou = await Node.CreateElderAsync("南京市/鼓楼区/宁海路街道");
        var xuanwu = await Node.CreateElderAsync("南京市/玄武区/梅园新村街道");
        // A period of its own in the past, so alarms of other tests in this node do not count.
        var day = new DateTimeOffset(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await InsertAsync(gulou.Id, "南京市/鼓楼区/宁海路街道", day.AddHours(1), acceptedAfter: 20, resolvedAfter: 600, "real_emergency");
        await InsertAsync(gulou.Id, "南京市/鼓楼区/宁海路街道", day.AddHours(2), acceptedAfter: 90, resolvedAfter: 300, "false_alarm");
        await InsertAsync(xuanwu.Id, "南京市/玄武区/梅园新村街道", day.AddHours(3), acceptedAfter: 400, resolvedAfter: null, null);
        await InsertAsync(xuanwu.Id, "南京市/玄武区/梅园新村街道", day.AddDays(2), acceptedAfter: 1, resolvedAfter: 2, "test"); // outside the period

        var report = await Node.Http.GetFromJsonAsync<JsonElement>("/api/reports/service-level?from=2020-03-01T00:00:00Z&to=2020-03-02T00:00:00Z");

        var overall = report.GetProperty("overall");
        Assert.Equal(3, overall.GetProperty("alarms").GetInt32());
        Assert.Equal(1, overall.GetProperty("acceptedWithin60Seconds").GetProperty("count").GetInt32());
        Assert.Equal(2, overall.GetProperty("acceptedWithin180Seconds").GetProperty("count").GetInt32());
        Assert.Equal(90, overall.GetProperty("timeToAccept").GetProperty("medianSeconds").GetDouble());
        var districts = report.GetProperty("districts").EnumerateArray().ToDictionary(d => d.GetProperty("district").GetString()!, d => d.GetProperty("figures"));
        Assert.Equal(["南京市/玄武区", "南京市/鼓楼区"], districts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0.5, districts["南京市/鼓楼区"].GetProperty("acceptedWithin60Seconds").GetProperty("share").GetDouble());
        Assert.Equal(1, districts["南京市/玄武区"].GetProperty("byOutcome").GetProperty("open").GetInt32());

        var onlyGulou = await Node.Http.GetFromJsonAsync<JsonElement>("/api/reports/service-level?from=2020-03-01T00:00:00Z&to=2020-03-02T00:00:00Z&district=南京市/鼓楼区");
        Assert.Equal(2, onlyGulou.GetProperty("overall").GetProperty("alarms").GetInt32());
    }

    [Fact]
    public async Task TheReportExportsAsCsvWithTheOverallRowLast()
    {
        var elder = await Node.CreateElderAsync("南京市/秦淮区");
        var day = new DateTimeOffset(2020, 4, 1, 0, 0, 0, TimeSpan.Zero);
        await InsertAsync(elder.Id, "南京市/秦淮区", day.AddHours(1), acceptedAfter: 45, resolvedAfter: 200, "real_emergency");

        using var response = await Node.Http.GetAsync("/api/reports/service-level?from=2020-04-01T00:00:00Z&to=2020-04-02T00:00:00Z&format=csv");
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("district,alarms,unaccepted,accepted_60s,share_60s", lines[0], StringComparison.Ordinal);
        Assert.Equal("南京市/秦淮区,1,0,1,1,1,1,45,45,200,200", lines[1]);
        Assert.Equal("*,1,0,1,1,1,1,45,45,200,200", lines[2]);
    }

    [Fact]
    public async Task ABadRangeOrDepthIsA400NamingTheField()
    {
        using var response = await Node.Http.GetAsync("/api/reports/service-level?from=2020-03-02T00:00:00Z&to=2020-03-01T00:00:00Z&depth=9&format=xml");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "from", "depth", "format" }, fields);
    }

    private async Task InsertAsync(Guid elderId, string district, DateTimeOffset raisedAt, double acceptedAfter, double? resolvedAfter, string? outcome)
    {
        var contexts = Node.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        db.Alarms.Add(new AlarmRecord
        {
            Id = Guid.NewGuid(),
            ElderId = elderId,
            District = district,
            Kind = "sos",
            Status = resolvedAfter is null ? "accepted" : "resolved",
            DeviceId = "report-test",
            RaisedAt = raisedAt,
            AcceptedBy = "seat-report",
            AcceptedAt = raisedAt.AddSeconds(acceptedAfter),
            ResolvedAt = resolvedAfter is { } r ? raisedAt.AddSeconds(r) : null,
            Outcome = outcome,
            UpdatedAt = raisedAt,
        });
        await db.SaveChangesAsync();
    }
}
