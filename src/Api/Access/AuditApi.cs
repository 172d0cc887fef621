using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Access;

/// <summary>/api/audit: who read whose data, for admins. There is deliberately no way to change or delete a row.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/audit").WithTags("Audit");
        group.MapGet("", ListAsync).WithName("ListAudit").WithSummary("Reads of personal data, newest first, by user, elder, action or time.");
        return group;
    }

    private static async Task<Results<Ok<List<AuditEntry>>, ValidationProblem>> ListAsync(
        IDbContextFactory<ElderIoTDbContext> contexts,
        string? userName = null, Guid? elderId = null, string? action = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        int limit = 100, int offset = 0)
    {
        var errors = new RequestErrors();
        errors.Limit(limit);

        if (offset < 0)
        {
            errors.Add("offset", ApiTexts.ZeroOrMore);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await contexts.CreateDbContextAsync();
        var rows = db.Audit.AsNoTracking();
        if (userName is not null)
        {
            rows = rows.Where(a => a.UserName == userName);
        }

        if (elderId is { } elder)
        {
            rows = rows.Where(a => a.ElderId == elder);
        }

        if (action is not null)
        {
            rows = rows.Where(a => a.Action == action);
        }

        if (from is { } since)
        {
            rows = rows.Where(a => a.At >= since);
        }

        if (to is { } until)
        {
            rows = rows.Where(a => a.At < until);
        }

        var page = await rows.OrderByDescending(a => a.Id).Skip(offset).Take(limit).ToListAsync();
        return TypedResults.Ok(page.Select(a => new AuditEntry(a.Id, a.At, a.UserName, a.Role, a.Action, a.ElderId, a.Subject, a.AlarmId)).ToList());
    }
}

/// <summary>One read: who (and in which role), what, whose, when, and why (the alarm handled).</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string UserName, string Role, string Action, Guid? ElderId, string? Subject, Guid? AlarmId);
