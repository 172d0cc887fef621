using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Seats;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Seats;

/// <summary>/api/seats: duty status and the live stream a seat's screen listens to.</summary>
public static class SeatsApi
{
    /// <summary>How often a connected screen renews its subscription (well inside the seat grain's lease).</summary>
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    public static RouteGroupBuilder MapSeatsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/seats").WithTags("Seats");
        group.MapPost("{seatId}/online", OnlineAsync).WithName("SeatOnline").WithSummary("Put a seat on duty for district prefixes.");
        group.MapPost("{seatId}/offline", OfflineAsync).WithName("SeatOffline").WithSummary("Take a seat off duty.");
        group.MapGet("{seatId}", GetAsync).WithName("GetSeat").WithSummary("A seat's duty status.");
        group.MapGet("{seatId}/stream", Stream).WithName("SeatStream")
            .WithSummary("Server-Sent Events: the open alarms of the seat's districts first (event 'open'), then every alarm offered to or changed for the seat.");
        return group;
    }

    private static async Task<Results<Ok<SeatStatus>, ValidationProblem>> OnlineAsync(string seatId, SeatOnlineRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var districts = (request.Districts ?? []).Select(d => d?.Trim() ?? "").ToList();
        if (districts.Count == 0 || districts.Any(d => d.Length == 0))
        {
            errors.Add("districts", "give one or more district prefixes, such as 南京市/鼓楼区");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var seat = grains.GetGrain<ISeatGrain>(seatId);
        await seat.GoOnlineAsync(districts);
        return TypedResults.Ok(await seat.GetStatusAsync());
    }

    private static async Task<Ok<SeatStatus>> OfflineAsync(string seatId, IGrainFactory grains)
    {
        var seat = grains.GetGrain<ISeatGrain>(seatId);
        await seat.GoOfflineAsync();
        return TypedResults.Ok(await seat.GetStatusAsync());
    }

    private static async Task<Ok<SeatStatus>> GetAsync(string seatId, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeatGrain>(seatId).GetStatusAsync());

    private static ServerSentEventsResult<SeatAlarmNotice> Stream(
        string seatId, HttpContext http, IGrainFactory grains, IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock) =>
        TypedResults.ServerSentEvents(Notices(seatId, http, grains, contexts, clock, http.RequestAborted));

    private static async IAsyncEnumerable<SseItem<SeatAlarmNotice>> Notices(
        string seatId, HttpContext http, IGrainFactory grains, IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seat = grains.GetGrain<ISeatGrain>(seatId);
        var stream = new SeatStream();
        var reference = grains.CreateObjectReference<ISeatObserver>(stream);
        await seat.SubscribeAsync(reference);
        using var renewal = RenewWhileConnected(seat, reference, cancellationToken);
        try
        {
            // Send the headers now: the screen knows it is connected even when nothing is open.
            await http.Response.Body.FlushAsync(cancellationToken);
            // Subscribe first, then send what is already open: a screen that connects (or reconnects
            // after a restart) misses nothing, at worst it sees an alarm twice.
            foreach (var open in await OpenAlarmsFor(seat, contexts, clock))
            {
                yield return new SseItem<SeatAlarmNotice>(open, "open");
            }

            await foreach (var notice in stream.ReadAllAsync(cancellationToken))
            {
                yield return new SseItem<SeatAlarmNotice>(notice, notice.Change) { EventId = $"{notice.Alarm.Id}:{notice.Change}" };
            }
        }
        finally
        {
            await seat.UnsubscribeAsync(reference);
            grains.DeleteObjectReference<ISeatObserver>(reference);
        }
    }

    private static CancellationTokenRegistration RenewWhileConnected(ISeatGrain seat, ISeatObserver reference, CancellationToken cancellationToken)
    {
        var loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(RenewEvery);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await seat.SubscribeAsync(reference);
            }
        }, cancellationToken);
        return cancellationToken.Register(() => loop.ContinueWith(static _ => { }, TaskScheduler.Default));
    }

    private static async Task<List<SeatAlarmNotice>> OpenAlarmsFor(ISeatGrain seat, IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock)
    {
        var status = await seat.GetStatusAsync();
        if (!status.Online)
        {
            return [];
        }

        var resolved = AlarmStatus.Resolved.ToSnakeCase();
        await using var db = await contexts.CreateDbContextAsync();
        var open = await db.Alarms.AsNoTracking().Where(a => a.Status != resolved)
            .Join(db.Elders, a => a.ElderId, e => e.Id, (a, e) => new { Alarm = a, e.Name })
            .OrderBy(x => x.Alarm.RaisedAt).Take(500).ToListAsync();
        var now = clock.GetUtcNow();
        return [.. open
            .Where(x => x.Alarm.EscalationLevel >= 2 || status.Districts.Any(p => DistrictPath.Covers(p, x.Alarm.District)))
            .Select(x => new SeatAlarmNotice("open", x.Alarm.ToSnapshot(), x.Name, now))];
    }
}

/// <summary>The body of POST /api/seats/{seatId}/online.</summary>
public sealed record SeatOnlineRequest(IReadOnlyList<string?>? Districts);
