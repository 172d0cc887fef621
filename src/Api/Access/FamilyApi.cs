using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Access;

/// <summary>
/// /api/family: what a family member sees of their own elder, read-only: the open alarm and how far
/// it has got, and, only with the elder's consent, the last known position and heart rate.
/// </summary>
public static class FamilyApi
{
    private static readonly string Resolved = AlarmStatus.Resolved.ToSnakeCase();

    public static RouteGroupBuilder MapFamilyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/family").WithTags("Family");
        group.MapGet("elder", GetAsync).WithName("FamilyElder").WithSummary("The family member's elder: open alarm, and with consent the last position and heart rate.");
        return group;
    }

    private static async Task<Results<Ok<FamilyView>, NotFound, ProblemHttpResult>> GetAsync(
        HttpContext http, IDbContextFactory<ElderIoTDbContext> contexts, IGrainFactory grains, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (Caller.From(http.User) is not { ElderId: { } elderId } caller)
        {
            return AccessFilter.Forbidden();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var elder = await db.Elders.AsNoTracking().Where(e => e.Id == elderId).Select(e => new { e.Id, e.Name }).SingleOrDefaultAsync(cancellationToken);
        if (elder is null)
        {
            return TypedResults.NotFound();
        }

        var consent = await db.Consents.AsNoTracking().SingleOrDefaultAsync(c => c.ElderId == elderId, cancellationToken);
        var alarm = await db.Alarms.AsNoTracking().Where(a => a.ElderId == elderId && a.Status != Resolved)
            .OrderByDescending(a => a.RaisedAt).FirstOrDefaultAsync(cancellationToken);
        var location = consent?.ShareLocationWithFamily == true;
        var health = consent?.ShareHealthWithFamily == true;
        FamilyPosition? position = null;
        int? heartRate = null;
        if (location || health)
        {
            // The devices' live state, as the alarm card reads it: the records lag behind the grains.
            var devices = new List<DeviceStatus>();
            foreach (var id in await db.Devices.AsNoTracking().Where(d => d.ElderId == elderId).Select(d => d.Id).ToListAsync(cancellationToken))
            {
                if (await grains.GetGrain<IDeviceGrain>(id).GetStatusAsync() is { } status)
                {
                    devices.Add(status);
                }
            }

            if (location && devices.Where(d => d.LastPosition is not null).MaxBy(d => d.LastPositionAt) is { } fix)
            {
                position = new FamilyPosition(fix.LastPosition!, fix.LastPositionAt);
            }

            heartRate = health ? devices.Where(d => d.HeartRate is not null).MaxBy(d => d.LastSeenAt)?.HeartRate : null;
        }

        await audit.RecordAsync(caller, "family_view", elderId, null, alarm?.Id, cancellationToken);
        return TypedResults.Ok(new FamilyView(
            elder.Id, elder.Name,
            alarm is null ? null : new FamilyAlarm(alarm.Id, EnumNames.ParseSnakeCase<AlarmKind>(alarm.Kind), EnumNames.ParseSnakeCase<AlarmStatus>(alarm.Status), alarm.RaisedAt, alarm.AcceptedAt),
            location, position, health, heartRate));
    }
}

/// <summary>The family view of one elder.</summary>
/// <param name="ElderId">The elder.</param>
/// <param name="Name">The elder's name, as the family knows it.</param>
/// <param name="OpenAlarm">The alarm open now, if any: what it is and whether a seat has taken it.</param>
/// <param name="LocationShared">Whether the elder consented to share their position with the family.</param>
/// <param name="LastPosition">The last known position; always null without that consent.</param>
/// <param name="HealthShared">Whether the elder consented to share health readings with the family.</param>
/// <param name="HeartRate">The last heart rate; always null without that consent.</param>
public sealed record FamilyView(Guid ElderId, string Name, FamilyAlarm? OpenAlarm, bool LocationShared, FamilyPosition? LastPosition, bool HealthShared, int? HeartRate);

/// <summary>An open alarm as the family sees it: no timeline, no seat names.</summary>
public sealed record FamilyAlarm(Guid Id, AlarmKind Kind, AlarmStatus Status, DateTimeOffset RaisedAt, DateTimeOffset? AcceptedAt);

/// <summary>A position and when it was taken.</summary>
public sealed record FamilyPosition(GeoPosition Position, DateTimeOffset? At);
