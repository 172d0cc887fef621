using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ElderIoT.Api.Centre;

/// <summary>/api/centre: what a client needs to show the centre's data as the centre reads it.</summary>
public static class CentreApi
{
    public static RouteGroupBuilder MapCentreApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/centre").WithTags("Centre");
        group.MapGet("", Get).WithName("GetCentre")
            .WithSummary("The centre's time zone (IANA id; a dashboard shows times and draws days in it) and languages.");
        return group;
    }

    private static Ok<CentreResponse> Get(CentreTimeZone zone, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new CentreResponse(
            zone.Zone.Id,
            (int)zone.Zone.GetUtcOffset(now).TotalMinutes,
            ApiLanguages.Centre,
            [ApiLanguages.Centre, ApiLanguages.English]));
    }
}

/// <summary>The centre's settings as a dashboard needs them.</summary>
/// <param name="TimeZone">IANA time zone id of the centre (Notifications:TimeZone), e.g. Asia/Shanghai.</param>
/// <param name="UtcOffsetMinutes">The zone's offset from UTC now, in minutes.</param>
/// <param name="Language">The centre's language, used when a request names none.</param>
/// <param name="Languages">The languages the API answers in (Accept-Language).</param>
public sealed record CentreResponse(string TimeZone, int UtcOffsetMinutes, string Language, IReadOnlyList<string> Languages);
