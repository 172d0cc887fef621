using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Geofences;

/// <summary>/api/visits: home-visit supervision (002: the time, place and process of each visit).</summary>
public static class VisitsApi
{
    public static IEndpointRouteBuilder MapVisitsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/visits").WithTags("Visits");
        group.MapPost("", CheckInAsync).WithName("CheckInVisit").WithSummary("A care worker checks in at an elder's home, with their position.");
        group.MapPost("{id:guid}/check-out", CheckOutAsync).WithName("CheckOutVisit").WithSummary("The worker checks out, with their position.");
        group.MapGet("", ListAsync).WithName("ListVisits").WithSummary("Visits with time on site and a flag for checks made away from the home.");
        return app;
    }

    private static async Task<Results<Created<VisitResponse>, ValidationProblem, NotFound>> CheckInAsync(CheckInRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var worker = errors.Required("workerId", request.WorkerId, 64);
        if (request.ElderId is not { } elderId)
        {
            errors.Add("elderId", ApiTexts.Required);
            return errors.ToProblem();
        }

        var position = request.Position?.Validate("position", errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await grains.GetGrain<IElderGrain>(elderId).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        var visit = await grains.GetGrain<IElderLocationGrain>(elderId).CheckInVisitAsync(new VisitCheck(worker, position));
        return TypedResults.Created($"/api/visits/{visit.Id}", VisitResponse.From(visit));
    }

    private static async Task<Results<Ok<VisitResponse>, ValidationProblem, NotFound>> CheckOutAsync(
        Guid id, CheckOutRequest request, IGrainFactory grains, IDbContextFactory<ElderIoTDbContext> contexts)
    {
        var errors = new RequestErrors();
        var worker = errors.Required("workerId", request.WorkerId, 64);
        var position = request.Position?.Validate("position", errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await contexts.CreateDbContextAsync();
        var elderId = await db.Visits.AsNoTracking().Where(v => v.Id == id).Select(v => (Guid?)v.ElderId).SingleOrDefaultAsync();
        if (elderId is null)
        {
            return TypedResults.NotFound();
        }

        var visit = await grains.GetGrain<IElderLocationGrain>(elderId.Value).CheckOutVisitAsync(id, new VisitCheck(worker, position));
        return TypedResults.Ok(VisitResponse.From(visit));
    }

    private static async Task<Results<Ok<List<VisitResponse>>, ValidationProblem>> ListAsync(
        IDbContextFactory<ElderIoTDbContext> contexts, Guid? elderId, DateTimeOffset? from, DateTimeOffset? to, string? workerId, int limit = 500)
    {
        if (limit is < 1 or > 5000)
        {
            var errors = new RequestErrors();
            errors.Add("limit", ApiTexts.Between(1, 5000));
            return errors.ToProblem();
        }

        await using var db = await contexts.CreateDbContextAsync();
        var visits = db.Visits.AsNoTracking();
        if (elderId is { } elder)
        {
            visits = visits.Where(v => v.ElderId == elder);
        }

        if (workerId is not null)
        {
            visits = visits.Where(v => v.WorkerId == workerId);
        }

        if (from is { } start)
        {
            visits = visits.Where(v => v.CheckInAt >= start);
        }

        if (to is { } end)
        {
            visits = visits.Where(v => v.CheckInAt < end);
        }

        var rows = await visits.OrderBy(v => v.CheckInAt).Take(limit).ToListAsync();
        return TypedResults.Ok(rows.Select(v => VisitResponse.From(new VisitSnapshot(
            v.Id, v.ElderId, v.WorkerId, v.CheckInAt,
            v.CheckInLat is { } a && v.CheckInLon is { } b ? new(a, b, v.CheckInAccuracy) : null,
            EnumNames.ParseSnakeCase<VisitPlace>(v.CheckInPlace), v.CheckOutAt,
            v.CheckOutLat is { } c && v.CheckOutLon is { } d ? new(c, d, v.CheckOutAccuracy) : null,
            v.CheckOutPlace is null ? null : EnumNames.ParseSnakeCase<VisitPlace>(v.CheckOutPlace),
            v.CheckInDeviceId, v.CheckOutDeviceId))).ToList());
    }
}

/// <summary>The body of POST /api/visits.</summary>
public sealed record CheckInRequest(Guid? ElderId, string? WorkerId, PositionRequest? Position);

/// <summary>The body of POST /api/visits/{id}/check-out.</summary>
public sealed record CheckOutRequest(string? WorkerId, PositionRequest? Position);

/// <summary>A visit for supervisors: time on site counts only when both checks were at the home.</summary>
public sealed record VisitResponse(VisitSnapshot Visit, double? MinutesOnSite, bool Flagged)
{
    public static VisitResponse From(VisitSnapshot v) => new(
        v,
        v is { CheckOutAt: { } outAt, CheckInPlace: VisitPlace.AtHome, CheckOutPlace: VisitPlace.AtHome } ? Math.Round((outAt - v.CheckInAt).TotalMinutes, 1) : null,
        v.CheckInPlace != VisitPlace.AtHome || v.CheckOutPlace is not (null or VisitPlace.AtHome));
}
