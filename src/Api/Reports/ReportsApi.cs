using System.Globalization;
using System.Text;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Api.Seats;
using ElderIoT.Api.Telemetry;
using ElderIoT.Contracts.Reports;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace ElderIoT.Api.Reports;

/// <summary>The service-level report of <c>/api/reports</c>: how fast the centre answers its alarms.</summary>
public static class ReportsApi
{
    /// <summary>A report covers at most this much time: a year of a city's alarms is still one query.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("api/reports/service-level", ServiceLevelAsync).WithTags("Reports").WithName("ServiceLevelReport")
            .WithSummary("Share of alarms accepted within 60 s and 180 s, medians and p90 of time to acceptance and resolution, counts by outcome and kind; per district and overall. format=csv for export.")
            .AlsoAnswers("text/csv", JsonSchemaType.String);
        return app;
    }

    private static async Task<Results<Ok<ServiceLevelReport>, ContentHttpResult, ValidationProblem>> ServiceLevelAsync(
        IDbContextFactory<ElderIoTDbContext> contexts, CentreTimeZone centre, TimeProvider clock, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? district = null, int depth = 2, string? format = null)
    {
        var errors = new RequestErrors();
        // Without from, the report is of the centre's day so far: from local midnight.
        var (start, end) = TelemetryQuery.Range(from, to, MaxSpan, end => LocalMidnight(end, centre.Zone), clock, errors);
        errors.DistrictFilter(district);

        if (depth is < 1 or > 6)
        {
            errors.Add("depth", ApiTexts.Between(1, 6));
        }

        if (format is not (null or "json" or "csv"))
        {
            errors.Add("format", ApiTexts.OneOf("json", "csv"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var alarms = db.Alarms.AsNoTracking().Where(a => a.RaisedAt >= start && a.RaisedAt < end);
        if (!string.IsNullOrWhiteSpace(district))
        {
            alarms = alarms.WithinDistrict(district);
        }

        var rows = await alarms
            .Select(ServiceLevelRows.Projection)
            .ToListAsync(cancellationToken);
        var report = new ServiceLevelReport(
            start,
            end,
            centre.Zone.Id,
            ServiceLevel.Figures(rows),
            [.. rows.GroupBy(r => DistrictAtDepth(r.District, depth))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new DistrictServiceLevel(g.Key, ServiceLevel.Figures([.. g])))]);
        return format == "csv" ? TypedResults.Content(Csv(report), "text/csv; charset=utf-8") : TypedResults.Ok(report);
    }

    /// <summary>"南京市/鼓楼区/宁海路街道" at depth 2 is "南京市/鼓楼区": the level a centre reports by.</summary>
    private static string DistrictAtDepth(string district, int depth) => string.Join('/', district.Split('/').Take(depth));

    private static DateTimeOffset LocalMidnight(DateTimeOffset at, TimeZoneInfo zone) => CentreDay.Start(CentreDay.Of(at, zone), zone);

    private static string Csv(ServiceLevelReport report)
    {
        var csv = new StringBuilder("district,alarms,unaccepted,accepted_60s,share_60s,accepted_180s,share_180s,accept_median_s,accept_p90_s,resolve_median_s,resolve_p90_s\n");
        foreach (var (name, figures) in report.Districts.Select(d => (d.District, d.Figures)).Append(("*", report.Overall)))
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{Quoted(name)},{figures.Alarms},{figures.Unaccepted},{figures.AcceptedWithin60Seconds.Count},{figures.AcceptedWithin60Seconds.Share:0.####},{figures.AcceptedWithin180Seconds.Count},{figures.AcceptedWithin180Seconds.Share:0.####},{figures.TimeToAccept.MedianSeconds:0.#},{figures.TimeToAccept.P90Seconds:0.#},{figures.TimeToResolve.MedianSeconds:0.#},{figures.TimeToResolve.P90Seconds:0.#}\n");
        }

        return csv.ToString();
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    private static string Quoted(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>The service level of one period: overall, and per district at the requested depth ("*" in CSV is overall).</summary>
public sealed record ServiceLevelReport(
    DateTimeOffset From,
    DateTimeOffset To,
    string TimeZone,
    ServiceLevelFigures Overall,
    IReadOnlyList<DistrictServiceLevel> Districts);

/// <summary>The figures of one district.</summary>
public sealed record DistrictServiceLevel(string District, ServiceLevelFigures Figures);
