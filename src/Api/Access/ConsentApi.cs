using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Access;

/// <summary>/api/elders/{id}/consent: the elder's informed consent to what the family may see. None recorded means nothing shared.</summary>
public static class ConsentApi
{
    public static RouteGroupBuilder MapConsentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/elders/{id:guid}").WithTags("Elders");
        group.MapGet("consent", GetAsync).WithName("GetElderConsent").WithSummary("What the elder consented to share with the family.");
        group.MapPut("consent", SetAsync).WithName("SetElderConsent").WithSummary("Record the elder's consent (location, health data) to sharing with the family.");
        return group;
    }

    private static async Task<Results<Ok<ConsentResponse>, NotFound>> GetAsync(Guid id, IDbContextFactory<ElderIoTDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        if (!await db.Elders.AnyAsync(e => e.Id == id))
        {
            return TypedResults.NotFound();
        }

        var consent = await db.Consents.AsNoTracking().SingleOrDefaultAsync(c => c.ElderId == id);
        return TypedResults.Ok(ConsentResponse.From(id, consent));
    }

    private static async Task<Results<Ok<ConsentResponse>, NotFound>> SetAsync(
        Guid id, ConsentRequest request, HttpContext http, IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock)
    {
        await using var db = await contexts.CreateDbContextAsync();
        if (!await db.Elders.AnyAsync(e => e.Id == id))
        {
            return TypedResults.NotFound();
        }

        var consent = await db.Consents.SingleOrDefaultAsync(c => c.ElderId == id);
        if (consent is null)
        {
            consent = new ElderConsentRecord { ElderId = id, UpdatedBy = "" };
            db.Consents.Add(consent);
        }

        consent.ShareLocationWithFamily = request.ShareLocationWithFamily;
        consent.ShareHealthWithFamily = request.ShareHealthWithFamily;
        consent.SetCareMessages(request.CareMessages, clock.GetUtcNow(), Caller.From(http.User)?.UserName ?? "");
        await db.SaveChangesAsync();
        return TypedResults.Ok(ConsentResponse.From(id, consent));
    }
}

/// <summary>The body of PUT /api/elders/{id}/consent; <see cref="CareMessages"/>: the centre's broadcasts (weather warnings, health tips).</summary>
public sealed record ConsentRequest(bool ShareLocationWithFamily, bool ShareHealthWithFamily, bool CareMessages = false);

/// <summary>The elder's consent as recorded, and by whom.</summary>
public sealed record ConsentResponse(
    Guid ElderId, bool ShareLocationWithFamily, bool ShareHealthWithFamily, bool CareMessages, DateTimeOffset? CareMessagesOptedOutAt, DateTimeOffset? UpdatedAt, string? UpdatedBy)
{
    public static ConsentResponse From(Guid elderId, ElderConsentRecord? consent) => consent is null
        ? new(elderId, false, false, false, null, null, null)
        : new(elderId, consent.ShareLocationWithFamily, consent.ShareHealthWithFamily, consent.CareMessages, consent.CareMessagesOptedOutAt, consent.UpdatedAt, consent.UpdatedBy);
}
