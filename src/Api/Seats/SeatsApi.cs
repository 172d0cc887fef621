using System.Text.RegularExpressions;
using ElderIoT.Api.Access;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Seats;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ElderIoT.Api.Seats;

/// <summary>/api/seats: duty status and the live stream a seat's screen listens to.</summary>
public static partial class SeatsApi
{
    /// <summary>A centre has tens of district groups; a seat serving more than this is a mistake or an attack.</summary>
    public const int MaxDistricts = 50;

    public const int MaxDistrictLength = 200;

    public static RouteGroupBuilder MapSeatsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/seats").WithTags("Seats");
        group.MapGet("", ListAsync).WithName("ListSeats")
            .WithSummary("The seats that are there now (on duty with a screen connected, or within the reconnect grace), for a supervisor's view.");
        group.MapPost("{seatId}/online", OnlineAsync).WithName("SeatOnline")
            .WithSummary("Put a seat on duty for district prefixes; it is offered alarms while its stream is connected.")
            .WithRequestBodyLimit(16 * 1024);
        group.MapPost("{seatId}/offline", OfflineAsync).WithName("SeatOffline").WithSummary("Take a seat off duty.");
        group.MapGet("{seatId}", GetAsync).WithName("GetSeat").WithSummary("A seat's duty status and whether it is there.");
        group.MapGet("{seatId}/stream", Stream).WithName("SeatStream")
            .Produces<SeatAlarmNotice>(StatusCodes.Status200OK, "text/event-stream")
            .WithSummary("Server-Sent Events: the open alarms the seat sees first (event 'open'), the day's live service level of its districts (event 'service_level'), then every alarm offered to or changed for the seat, new figures, mass outages of its districts (event 'outage'), and ': keep-alive' comments.")
            .WithDescription(StreamDescription);
        return group;
    }

    /// <summary>The stream's events, for the OpenAPI document: each event's data is one line of JSON.</summary>
    private const string StreamDescription =
        "Events (each 'data:' is one line of JSON):\n"
        + "- open: an open alarm the seat sees (a SeatAlarmNotice), sent first on connecting and again when the seat's grain came back elsewhere.\n"
        + "- offered, escalated, accepted, resolved, joined, overdue, ... (the AlarmChange words): a SeatAlarmNotice; 'id:' is '{alarmId}:{change}'.\n"
        + "- service_level: the centre's day so far for the seat's districts, "
        + "{ day: 'YYYY-MM-DD', timeZone: IANA id, districts: [prefixes], computedAt: instant, figures: ServiceLevelFigures as GET /api/reports/service-level gives them } "
        + "over the alarms of those districts raised since local midnight; sent after the open alarms, whenever an alarm of those districts is raised, accepted or resolved on any node, and at least every minute.\n"
        + "- outage: a mass outage overlapping the seat's districts, { change: 'declared'|'cleared', outageId, district, silentDevices, peak, since, endedAt }; "
        + "on connecting, those in progress; then each declared or cleared.\n"
        + "- ': keep-alive' comments every Seats:KeepAliveInterval.";

    private static async Task<Results<Ok<SeatStatus>, ValidationProblem, ProblemHttpResult>> OnlineAsync(string seatId, SeatOnlineRequest request, HttpContext http, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        ValidateSeatId(seatId, errors);
        var districts = new List<string>();
        var given = request.Districts ?? [];
        if (given.Count is 0 or > MaxDistricts)
        {
            errors.Add("districts", ApiTexts.DistrictPrefixes(MaxDistricts));
        }
        else
        {
            for (var i = 0; i < given.Count; i++)
            {
                var district = DistrictPath.Normalize(given[i] ?? "");
                if (district.Length == 0 || (given[i]?.Length ?? 0) > MaxDistrictLength)
                {
                    errors.Add($"districts[{i}]", ApiTexts.DistrictPrefix(MaxDistrictLength));
                }
                else if (!districts.Contains(district))
                {
                    districts.Add(district);
                }
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // A seat goes on duty only where it serves: a token for 鼓楼区 does not take 南京市's alarms.
        if (Caller.From(http.User) is { } caller && !AccessGuard.MayServe(caller, districts))
        {
            return TypedResults.Problem(
                title: ApiTexts.Forbidden.Render(),
                detail: ApiTexts.DistrictsNotYours(districts.First(d => !AccessGuard.MayServe(caller, [d]))).Render(),
                statusCode: StatusCodes.Status403Forbidden);
        }

        var seat = grains.GetGrain<ISeatGrain>(seatId);
        await seat.GoOnlineAsync(districts);
        return TypedResults.Ok(await seat.GetStatusAsync());
    }

    private static async Task<Results<Ok<SeatStatus>, ValidationProblem>> OfflineAsync(string seatId, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (!ValidateSeatId(seatId, errors))
        {
            return errors.ToProblem();
        }

        var seat = grains.GetGrain<ISeatGrain>(seatId);
        await seat.GoOfflineAsync();
        return TypedResults.Ok(await seat.GetStatusAsync());
    }

    private static async Task<Ok<List<SeatStatus>>> ListAsync(IGrainFactory grains)
    {
        var present = await grains.GetGrain<ISeatDirectoryGrain>(0).GetPresentSeatsAsync();
        var statuses = await Task.WhenAll(present.Select(s => grains.GetGrain<ISeatGrain>(s.Id).GetStatusAsync()));
        return TypedResults.Ok(statuses.OrderBy(s => s.Id, StringComparer.Ordinal).ToList());
    }

    private static async Task<Results<Ok<SeatStatus>, ValidationProblem>> GetAsync(string seatId, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        return ValidateSeatId(seatId, errors)
            ? TypedResults.Ok(await grains.GetGrain<ISeatGrain>(seatId).GetStatusAsync())
            : errors.ToProblem();
    }

    private static IResult Stream(string seatId)
    {
        var errors = new RequestErrors();
        return ValidateSeatId(seatId, errors) ? new SeatStreamResult(seatId) : errors.ToProblem();
    }

    /// <summary>Seat ids go into logs, timelines and grain keys: letters, digits, '.', '_' and '-' only.</summary>
    internal static bool ValidateSeatId(string? seatId, RequestErrors errors, string field = "seatId")
    {
        if (seatId is null || !SeatIdPattern().IsMatch(seatId))
        {
            errors.Add(field, ApiTexts.SeatId);
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"^[\p{L}\p{N}._-]{1,64}$")]
    private static partial Regex SeatIdPattern();
}

/// <summary>The body of POST /api/seats/{seatId}/online.</summary>
public sealed record SeatOnlineRequest(IReadOnlyList<string?>? Districts);
