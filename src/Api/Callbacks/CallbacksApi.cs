using ElderIoT.Api.Access;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Api.Seats;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Callbacks;
using ElderIoT.Contracts.Elders;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Callbacks;

/// <summary>/api/callbacks: the call-backs (回访) after alarms, and their results.</summary>
public static class CallbacksApi
{
    public const int MaxNotesLength = 4000;

    public static RouteGroupBuilder MapCallbacksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/callbacks").WithTags("Callbacks");
        group.MapGet("", ListAsync).WithName("ListCallbacks")
            .WithSummary("Call-backs by status, district prefix or overdue (pending and past due); pending ones due first. A seat sees its districts'.");
        group.MapPost("{id:guid}/result", RecordResultAsync).WithName("RecordCallbackResult")
            .WithSummary("Records what the call-back found, in the signed-in user's name (409 when it already has a result).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<List<CallbackResponse>>, ValidationProblem>> ListAsync(
        IDbContextFactory<ElderIoTDbContext> contexts, HttpContext http, TimeProvider clock,
        string? status = null, bool? overdue = null, string? district = null, int limit = 100)
    {
        var errors = new RequestErrors();
        CallbackStatus? wanted = null;
        if (status is not null)
        {
            if (EnumNames.TryParseSnakeCase<CallbackStatus>(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add("status", ApiTexts.CallbackStatus);
            }
        }

        errors.Limit(limit);
        errors.DistrictFilter(district);

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync();
        var tasks = db.CallbackTasks.AsNoTracking();
        if (wanted is { } statusWanted)
        {
            tasks = tasks.Where(t => t.Status == statusWanted);
        }

        if (!string.IsNullOrWhiteSpace(district))
        {
            tasks = tasks.WithinDistrict(district);
        }

        if (overdue is true)
        {
            tasks = tasks.Where(t => t.Status == CallbackStatus.Pending && t.DueAt < now);
        }
        else if (overdue is false)
        {
            tasks = tasks.Where(t => t.Status != CallbackStatus.Pending || t.DueAt >= now);
        }

        // A seat calls back the elders of its own districts; supervisors see all.
        if (Caller.From(http.User) is { SeesAllDistricts: false } caller)
        {
            tasks = tasks.WithinAnyDistrict(caller.Districts);
        }

        var rows = await tasks.OrderBy(t => t.Status == CallbackStatus.Done).ThenBy(t => t.DueAt).Take(limit).ToListAsync();
        var elders = await EldersAsync(db, rows.Select(t => t.ElderId));
        return TypedResults.Ok(rows.Select(t => CallbackResponse.From(t, now, elders.GetValueOrDefault(t.ElderId))).ToList());
    }

    private static async Task<Results<Ok<CallbackResponse>, ValidationProblem, ProblemHttpResult>> RecordResultAsync(
        Guid id, CallbackResultRequest request, HttpContext http, IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock)
    {
        var errors = new RequestErrors();
        if (!EnumNames.TryParseSnakeCase<CallbackResult>(request.Result, out var result))
        {
            errors.Add("result", ApiTexts.CallbackResult);
        }

        if (request.Notes is { Length: > MaxNotesLength })
        {
            errors.Add("notes", ApiTexts.AtMostCharacters(MaxNotesLength));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var caller = Caller.From(http.User)!;
        await using var db = await contexts.CreateDbContextAsync();
        var task = await db.CallbackTasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id);
        // A seat outside the elder's districts learns nothing of the call-back, not even that it exists.
        if (task is null || (!caller.SeesAllDistricts && !caller.Districts.Any(prefix => DistrictPath.Covers(prefix, task.District))))
        {
            return TypedResults.Problem(title: ApiTexts.NotFound.Render(), statusCode: StatusCodes.Status404NotFound);
        }

        // One conditional update: of two seats recording at once, exactly one wins; the other gets 409.
        var now = clock.GetUtcNow();
        var notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
        var changed = await db.CallbackTasks.Where(t => t.Id == id && t.Status == CallbackStatus.Pending)
            .ExecuteUpdateAsync(set => set
                .SetProperty(t => t.Status, CallbackStatus.Done)
                .SetProperty(t => t.Result, result)
                .SetProperty(t => t.Notes, notes)
                .SetProperty(t => t.CompletedBy, caller.UserName)
                .SetProperty(t => t.CompletedAt, now));
        if (changed == 0)
        {
            return TypedResults.Problem(title: ApiTexts.CallbackDone.Render(), statusCode: StatusCodes.Status409Conflict);
        }

        var done = await db.CallbackTasks.AsNoTracking().SingleAsync(t => t.Id == id);
        var elders = await EldersAsync(db, [done.ElderId]);
        return TypedResults.Ok(CallbackResponse.From(done, now, elders.GetValueOrDefault(done.ElderId)));
    }

    /// <summary>The elders the call-backs call, by id: one query for a whole list.</summary>
    private static async Task<Dictionary<Guid, CallbackElder>> EldersAsync(ElderIoTDbContext db, IEnumerable<Guid> elderIds)
    {
        var ids = elderIds.Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.Elders.AsNoTracking().Where(e => ids.Contains(e.Id))
                .Select(e => new CallbackElder(e.Id, e.Name, e.Phone))
                .ToDictionaryAsync(e => e.Id);
    }
}
