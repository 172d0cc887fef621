using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts.Elders;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Elders;

/// <summary>/api/elders: elder records. Writes go through the elder grain; lists read the records.</summary>
public static class EldersApi
{
    public static RouteGroupBuilder MapEldersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/elders").WithTags("Elders");
        group.MapPost("", CreateAsync).WithName("CreateElder").WithSummary("Create an elder record.");
        group.MapGet("", ListAsync).WithName("ListElders").WithSummary("List elders, optionally under a district prefix.");
        group.MapGet("{id:guid}", GetAsync).WithName("GetElder").WithSummary("One elder record.");
        group.MapPut("{id:guid}", UpdateAsync).WithName("UpdateElder").WithSummary("Replace an elder record.");
        return group;
    }

    private static async Task<Results<Created<ElderResponse>, ValidationProblem>> CreateAsync(ElderRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (request.Validate(errors) is not { } profile)
        {
            return errors.ToProblem();
        }

        var id = Guid.NewGuid();
        await grains.GetGrain<IElderGrain>(id).CreateAsync(profile);
        var created = await grains.GetGrain<IElderGrain>(id).GetProfileAsync();
        return TypedResults.Created($"/api/elders/{id}", ElderResponse.From(id, created!));
    }

    private static async Task<Results<Ok<List<ElderResponse>>, ValidationProblem>> ListAsync(
        IDbContextFactory<ElderIoTDbContext> contexts, string? district = null, int limit = 100, int offset = 0)
    {
        var errors = new RequestErrors();
        if (district is { Length: > 200 })
        {
            errors.Add("district", ApiTexts.AtMostCharacters(200));
        }

        errors.Limit(limit, max: 500);

        if (offset < 0)
        {
            errors.Add("offset", ApiTexts.ZeroOrMore);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await contexts.CreateDbContextAsync();
        var query = db.Elders.AsNoTracking().Include(e => e.Contacts).AsQueryable();
        if (!string.IsNullOrWhiteSpace(district))
        {
            query = query.WithinDistrict(district);
        }

        var elders = await query.OrderBy(e => e.Name).ThenBy(e => e.Id)
            .Skip(offset).Take(limit).ToListAsync();
        return TypedResults.Ok(elders.Select(e => ElderResponse.From(e.Id, e.ToProfile())).ToList());
    }

    private static async Task<Results<Ok<ElderResponse>, NotFound>> GetAsync(Guid id, IGrainFactory grains) =>
        await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is { } profile
            ? TypedResults.Ok(ElderResponse.From(id, profile))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<ElderResponse>, ValidationProblem, NotFound>> UpdateAsync(Guid id, ElderRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (request.Validate(errors) is not { } profile)
        {
            return errors.ToProblem();
        }

        var elder = grains.GetGrain<IElderGrain>(id);
        if (await elder.GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        await elder.UpdateAsync(profile);
        return TypedResults.Ok(ElderResponse.From(id, (await elder.GetProfileAsync())!));
    }
}
