using ElderIoT.Api.Access;
using ElderIoT.Api.Elders;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Api.Seats;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Alarms;

/// <summary>/api/alarms: the dispatch queue and the handling of one alarm.</summary>
public static class AlarmsApi
{
    public static RouteGroupBuilder MapAlarmsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/alarms").WithTags("Alarms");
        group.MapGet("", ListAsync).WithName("ListAlarms").WithSummary("The queue (unresolved alarms, critical first, then oldest), then resolved ones newest first; by status, district prefix, elder or overdue.");
        group.MapGet("{id:guid}", GetAsync).WithName("GetAlarm").WithSummary("One alarm with its timeline and the elder card.");
        group.MapPost("{id:guid}/accept", AcceptAsync).WithName("AcceptAlarm").WithSummary("The signed-in seat takes the alarm (409 when another seat holds it).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("{id:guid}/resolve", ResolveAsync).WithName("ResolveAlarm").WithSummary("The signed-in seat, holding the alarm, closes it with an outcome (409 when it does not hold it).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("{id:guid}/notes", AddNoteAsync).WithName("AddAlarmNote")
            .WithSummary("Writes a note on an alarm that is not resolved, in the signed-in seat's (or user's) name: on its timeline at once and told to the seats that see it (409 once resolved).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<List<AlarmListItem>>, ValidationProblem>> ListAsync(
        IDbContextFactory<ElderIoTDbContext> contexts, HttpContext http,
        string? status = null, string? district = null, Guid? elderId = null, bool? overdue = null, int limit = 100)
    {
        var errors = new RequestErrors();
        if (status is not null && !EnumNames.TryParseSnakeCase<AlarmStatus>(status, out _))
        {
            errors.Add("status", ApiTexts.OneOf("open", "accepted", "resolved"));
        }

        errors.Limit(limit);
        errors.DistrictFilter(district);

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await contexts.CreateDbContextAsync();
        var alarms = db.Alarms.AsNoTracking();
        if (status is not null)
        {
            alarms = alarms.Where(a => a.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(district))
        {
            alarms = alarms.WithinDistrict(district);
        }

        if (elderId is { } elder)
        {
            alarms = alarms.Where(a => a.ElderId == elder);
        }

        if (overdue is { } isOverdue)
        {
            alarms = alarms.Where(a => a.Overdue == isOverdue);
        }

        // A seat lists only what it may see: its districts' alarms and the ones it holds.
        if (Caller.From(http.User) is { SeesAllDistricts: false } caller)
        {
            alarms = alarms.SeenBySeat(caller.SeatId ?? "", caller.Districts);
        }

        // The seat's queue first (what is not resolved: critical first, then oldest, as the stream's
        // replay orders it), then the history (resolved, newest first) up to the limit.
        var resolved = AlarmStatus.Resolved.ToSnakeCase();
        var named = alarms.Join(db.Elders, a => a.ElderId, e => e.Id, (a, e) => new { Alarm = a, e.Name });
        var rows = await named.Where(x => x.Alarm.Status != resolved)
            .OrderByDescending(x => x.Alarm.Severity).ThenBy(x => x.Alarm.RaisedAt)
            .Take(limit)
            .ToListAsync();
        if (rows.Count < limit)
        {
            rows.AddRange(await named.Where(x => x.Alarm.Status == resolved)
                .OrderByDescending(x => x.Alarm.RaisedAt)
                .Take(limit - rows.Count)
                .ToListAsync());
        }

        return TypedResults.Ok(rows.Select(r => new AlarmListItem(r.Alarm.ToSnapshot(), r.Name)).ToList());
    }

    private static async Task<Results<Ok<AlarmDetailResponse>, NotFound>> GetAsync(
        Guid id, IGrainFactory grains, IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock)
    {
        if (await grains.GetGrain<IAlarmGrain>(id).GetAsync() is not { } alarm)
        {
            return TypedResults.NotFound();
        }

        await using var db = await contexts.CreateDbContextAsync();
        var timeline = await db.AlarmTimeline.AsNoTracking().Where(t => t.AlarmId == id)
            .OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync();
        var elder = await db.Elders.AsNoTracking().Include(e => e.Contacts).SingleAsync(e => e.Id == alarm.ElderId);
        var deviceIds = await db.Devices.AsNoTracking().Where(d => d.ElderId == alarm.ElderId).Select(d => d.Id).ToListAsync();

        var devices = new List<DeviceStatus>();
        foreach (var deviceId in deviceIds)
        {
            if (await grains.GetGrain<IDeviceGrain>(deviceId).GetStatusAsync() is { } status)
            {
                devices.Add(status);
            }
        }

        var card = new ElderCard(
            ElderResponse.From(elder.Id, elder.ToProfile()),
            AgeOn(elder.BirthDate, clock.GetUtcNow()),
            LastKnown(alarm, devices),
            devices);
        var near = card.LastKnownPosition?.Position ?? card.Profile.Location;
        return TypedResults.Ok(new AlarmDetailResponse(alarm, [.. timeline.Select(TimelineTexts.Render)], card)
        {
            NearestResponders = near is null ? [] : await Geofences.ResponderQueries.NearestAsync(contexts, near, 5, clock.GetUtcNow()),
        });
    }

    // No body: the seat is the signed-in one (a seatId an older client still sends is ignored).
    private static async Task<Results<Ok<AlarmSnapshot>, ProblemHttpResult>> AcceptAsync(Guid id, HttpContext http, IGrainFactory grains) =>
        Caller.From(http.User)?.SeatId is { } seatId
            ? TypedResults.Ok(await grains.GetGrain<IAlarmGrain>(id).AcceptAsync(seatId))
            : NotASeat();

    private static async Task<Results<Ok<AlarmSnapshot>, ValidationProblem, ProblemHttpResult>> ResolveAsync(Guid id, ResolveAlarmRequest request, HttpContext http, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        // self_cleared is the centre's own outcome (a rule's cause went away), never a seat's.
        if (!EnumNames.TryParseSnakeCase<AlarmOutcome>(request.Outcome, out var outcome) || outcome == AlarmOutcome.SelfCleared)
        {
            errors.Add("outcome", ApiTexts.OneOf("real_emergency", "false_alarm", "cancelled_by_elder", "no_contact", "test"));
        }

        if (request.Notes is { Length: > 4000 })
        {
            errors.Add("notes", ApiTexts.AtMostCharacters(4000));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (Caller.From(http.User)?.SeatId is not { } seatId)
        {
            return NotASeat();
        }

        return TypedResults.Ok(await grains.GetGrain<IAlarmGrain>(id).ResolveAsync(seatId, outcome, request.Notes));
    }

    // Whoever may see the alarm may write on it (the access table's alarm scope): its seats, supervisors, admins.
    private static async Task<Results<Ok<AlarmTimelineEntry>, ValidationProblem>> AddNoteAsync(Guid id, AddAlarmNoteRequest request, HttpContext http, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var text = errors.Required("text", request.Text?.Trim(), AlarmNotes.MaxLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var caller = Caller.From(http.User)!;
        var note = await grains.GetGrain<IAlarmGrain>(id).AddNoteAsync(new AlarmNoteAuthor(caller.UserName, caller.SeatId), text);
        return TypedResults.Ok(note with { Title = TimelineTexts.TitleOf(note.Type) });
    }

    private static ProblemHttpResult NotASeat() =>
        TypedResults.Problem(title: ApiTexts.NotASeat.Render(), statusCode: StatusCodes.Status403Forbidden);

    private static int? AgeOn(DateOnly? birthDate, DateTimeOffset now)
    {
        if (birthDate is not { } birth)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var age = today.Year - birth.Year;
        return birth.AddYears(age) > today ? age - 1 : age;
    }

    private static LastKnownPosition? LastKnown(AlarmSnapshot alarm, IReadOnlyList<DeviceStatus> devices)
    {
        var freshest = devices.Where(d => d.LastPosition is not null).MaxBy(d => d.LastPositionAt);
        if (freshest is not null && (alarm.Position is null || freshest.LastPositionAt >= alarm.RaisedAt))
        {
            return new LastKnownPosition(freshest.LastPosition!, freshest.LastPositionAt, $"device:{freshest.Id}");
        }

        return alarm.Position is { } position ? new LastKnownPosition(position, alarm.RaisedAt, "alarm") : null;
    }
}
