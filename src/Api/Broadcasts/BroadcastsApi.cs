using ElderIoT.Api.Access;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Api.Seats;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Broadcasts;
using ElderIoT.Contracts.Elders;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Broadcasts;

/// <summary>
/// /api/broadcasts: care messages (主动关怀) to a group of elders — a preview of who would get it,
/// then the send at a bounded rate. Consent to them is the elder's (PUT /api/elders/{id}/consent, careMessages).
/// </summary>
public static class BroadcastsApi
{
    public const int MaxTextLength = 500;
    private const int MaxCriteria = 20;
    private const int MaxCriterionLength = 50;

    public static IEndpointRouteBuilder MapBroadcastsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/broadcasts").WithTags("Broadcasts");
        group.MapPost("preview", PreviewAsync).WithName("PreviewBroadcast")
            .WithSummary("How many elders the criteria select and how many would receive the message (consent, opt-out, phone).");
        group.MapPost("", StartAsync).WithName("StartBroadcast")
            .WithSummary("Sends a care message to the elders the criteria select who consented; at a bounded rate.");
        group.MapGet("", ListAsync).WithName("ListBroadcasts").WithSummary("Broadcasts, newest first.");
        group.MapGet("{id:guid}", GetAsync).WithName("GetBroadcast").WithSummary("One broadcast and how far it has gone.");
        return app;
    }

    private static async Task<Results<Ok<BroadcastAudienceCount>, ValidationProblem>> PreviewAsync(
        BroadcastAudienceRequest request, IDbContextFactory<ElderIoTDbContext> contexts, CentreTimeZone centre, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (request.Validate(errors) is not { } audience)
        {
            return errors.ToProblem();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var members = await BroadcastAudienceQuery.SelectAsync(db, audience, CentreToday(centre, clock), cancellationToken);
        return TypedResults.Ok(BroadcastAudienceQuery.Count(members));
    }

    private static async Task<Results<Accepted<BroadcastSnapshot>, ValidationProblem>> StartAsync(
        BroadcastRequest request, IGrainFactory grains, HttpContext http)
    {
        var errors = new RequestErrors();
        var text = errors.Required("text", request.Text, MaxTextLength);
        if (request.Audience is null)
        {
            errors.Add("audience", ApiTexts.Required);
        }

        var audience = request.Audience?.Validate(errors, "audience.");
        if (errors.Any || audience is null)
        {
            return errors.ToProblem();
        }

        var id = Guid.NewGuid();
        try
        {
            var snapshot = await grains.GetGrain<IBroadcastGrain>(id).StartAsync(text, audience, Caller.From(http.User)?.UserName ?? "api");
            return TypedResults.Accepted($"/api/broadcasts/{id}", snapshot);
        }
        catch (BroadcastTooLargeException tooLarge)
        {
            errors.Add("audience", ApiTexts.BroadcastTooLarge(tooLarge.Recipients, tooLarge.Max));
            return errors.ToProblem();
        }
    }

    private static async Task<Ok<List<BroadcastSnapshot>>> ListAsync(IDbContextFactory<ElderIoTDbContext> contexts, IGrainFactory grains, int limit = 50)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var ids = await db.Broadcasts.AsNoTracking().OrderByDescending(b => b.CreatedAt).Take(Math.Clamp(limit, 1, 200)).Select(b => b.Id).ToListAsync();
        var list = new List<BroadcastSnapshot>();
        foreach (var id in ids)
        {
            if (await grains.GetGrain<IBroadcastGrain>(id).GetAsync() is { } snapshot)
            {
                list.Add(snapshot);
            }
        }

        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<BroadcastSnapshot>, NotFound>> GetAsync(Guid id, IGrainFactory grains) =>
        await grains.GetGrain<IBroadcastGrain>(id).GetAsync() is { } snapshot ? TypedResults.Ok(snapshot) : TypedResults.NotFound();

    private static DateOnly CentreToday(CentreTimeZone centre, TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), centre.Zone).DateTime);

    /// <summary>The criteria of a broadcast as a client sends them; empty criteria match every elder.</summary>
    public sealed record BroadcastAudienceRequest(
        string? DistrictPrefix = null, int? MinAge = null, int? MaxAge = null, List<string>? CareLevels = null, List<string>? Conditions = null)
    {
        public BroadcastAudience? Validate(RequestErrors errors, string prefix = "")
        {
            if (DistrictPrefix is { Length: > SeatsApi.MaxDistrictLength })
            {
                errors.Add(prefix + "districtPrefix", ApiTexts.AtMostCharacters(SeatsApi.MaxDistrictLength));
            }

            if (MinAge is < 0 or > 130)
            {
                errors.Add(prefix + "minAge", ApiTexts.Between(0, 130));
            }

            if (MaxAge is < 0 or > 130)
            {
                errors.Add(prefix + "maxAge", ApiTexts.Between(0, 130));
            }
            else if (MinAge is { } min && MaxAge is { } max && min > max)
            {
                errors.Add(prefix + "maxAge", ApiTexts.AtLeast("minAge"));
            }

            CheckList(CareLevels, prefix + "careLevels", errors);
            for (var i = 0; i < (CareLevels?.Count ?? 0) && CareLevels!.Count <= MaxCriteria; i++)
            {
                if (CareLevels[i] is { } level && !EnumNames.TryParseSnakeCase<CareLevel>(level.Trim(), out _))
                {
                    errors.Add($"{prefix}careLevels[{i}]", ApiTexts.CareLevel);
                }
            }

            CheckList(Conditions, prefix + "conditions", errors);
            return errors.Any
                ? null
                : new BroadcastAudience(
                    string.IsNullOrWhiteSpace(DistrictPrefix) ? null : DistrictPrefix.Trim(),
                    MinAge,
                    MaxAge,
                    [.. (CareLevels ?? []).Select(c => c.Trim())],
                    [.. (Conditions ?? []).Select(c => c.Trim())]);
        }

        private static void CheckList(List<string>? list, string field, RequestErrors errors)
        {
            if (list is null)
            {
                return;
            }

            if (list.Count > MaxCriteria)
            {
                errors.Add(field, ApiTexts.AtMostEntries(MaxCriteria));
                return;
            }

            for (var i = 0; i < list.Count; i++)
            {
                errors.Required($"{field}[{i}]", list[i], MaxCriterionLength);
            }
        }
    }

    /// <summary>A broadcast: the text and who it goes to.</summary>
    public sealed record BroadcastRequest(string? Text = null, BroadcastAudienceRequest? Audience = null);
}
