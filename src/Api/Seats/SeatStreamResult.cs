using System.Text;
using System.Text.Json;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Reports;
using ElderIoT.Contracts.Seats;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Api.Seats;

/// <summary>
/// A seat screen's Server-Sent Events: the open alarms it sees first (event <c>open</c>), then each
/// notice as it comes, and a <c>: keep-alive</c> comment every <see cref="SeatDutyOptions.KeepAliveInterval"/>
/// so that proxies do not cut an idle stream. Each keep-alive also renews the screen with the seat:
/// the seat is present while its stream is, and for the reconnect grace after. After the open alarms
/// comes the day's live service level of the seat's districts (event <c>service_level</c>), and again
/// whenever it changes and at least every minute (<see cref="SeatLiveFigures"/>). Mass outages of the
/// seat's districts come as <c>outage</c> events: those in progress when it connects, then each declared or cleared.
/// </summary>
internal sealed partial class SeatStreamResult(string seatId) : IResult
{
    /// <summary>The event of a mass outage declared or cleared.</summary>
    public const string OutageEvent = "outage";

    public async Task ExecuteAsync(HttpContext http)
    {
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        var keepAlive = http.RequestServices.GetRequiredService<IOptions<SeatDutyOptions>>().Value.KeepAliveInterval;
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var logger = http.RequestServices.GetRequiredService<ILogger<SeatStreamResult>>();
        var cancellationToken = http.RequestAborted;

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold events back

        var seat = grains.GetGrain<ISeatGrain>(seatId);
        var stream = new SeatStream();
        // The stream ends when the node begins to stop: the screen reconnects to a node that can still
        // offer it alarms, and the server need not wait out its shutdown timeout for this response.
        using var nodeStopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stream.Complete);
        var reference = grains.CreateObjectReference<ISeatObserver>(stream);
        // Subscribe first, then send what is already open: a screen that connects (or reconnects
        // after a restart) misses nothing, at worst it sees an alarm twice.
        await seat.SubscribeAsync(reference);
        var live = new SeatLiveFigures(grains, seat, seatId, json, logger);
        try
        {
            // Send the headers now: the screen knows it is connected even when nothing is open.
            await http.Response.Body.FlushAsync(cancellationToken);
            foreach (var open in await seat.GetOpenAlarmsAsync())
            {
                await WriteAsync(http, "open", eventId: null, open, json, cancellationToken);
            }

            await WriteFiguresAsync(http, live, await live.WatchAsync(), keepAlive, cancellationToken);
            await WriteOutagesInProgressAsync(http, grains, seat, json, logger, cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            using var timer = new PeriodicTimer(keepAlive);
            var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
            var notice = stream.WaitToReadAsync(cancellationToken).AsTask();
            var pushed = live.WaitToReadAsync(cancellationToken).AsTask();
            while (true)
            {
                var woke = await Task.WhenAny(notice, tick, pushed);
                if (woke == pushed)
                {
                    if (await pushed && live.TakePushed() is { } figures)
                    {
                        await WriteFiguresAsync(http, live, figures, keepAlive, cancellationToken);
                        await http.Response.Body.FlushAsync(cancellationToken);
                    }

                    pushed = live.WaitToReadAsync(cancellationToken).AsTask();
                    continue;
                }

                if (woke == tick)
                {
                    if (!await tick)
                    {
                        break;
                    }

                    await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    if (await RenewAsync(seat, reference, logger))
                    {
                        // The seat did not know this screen: its grain came back on another node after its
                        // own died, and whatever changed meanwhile was told to nobody. Show what is open again.
                        foreach (var open in await seat.GetOpenAlarmsAsync())
                        {
                            await WriteAsync(http, "open", eventId: null, open, json, cancellationToken);
                        }

                        await http.Response.Body.FlushAsync(cancellationToken);
                    }

                    // The renewal of the figures' watch; it sends them when they changed unseen or a minute is up.
                    await WriteFiguresAsync(http, live, await live.WatchAsync(), keepAlive, cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                    continue;
                }

                if (!await notice)
                {
                    break; // completed: the node is stopping
                }

                while (stream.TryRead(out var next))
                {
                    if (next is SeatAlarmNotice alarm)
                    {
                        var change = alarm.Change.ToSnakeCase();
                        await WriteAsync(http, change, $"{alarm.Alarm.Id}:{change}", alarm, json, cancellationToken);
                    }
                    else if (next is SeatOutageNotice outage)
                    {
                        await WriteAsync(http, OutageEvent, $"{outage.OutageId}:{outage.Change.ToSnakeCase()}", outage, json, cancellationToken);
                    }
                }

                await http.Response.Body.FlushAsync(cancellationToken);
                notice = stream.WaitToReadAsync(cancellationToken).AsTask();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The screen went away; the seat keeps the reconnect grace.
        }
        catch (IOException)
        {
            // Its connection broke in the middle of a write: the same, seen from the other side.
        }
        finally
        {
            await live.StopAsync();
            try
            {
                await seat.UnsubscribeAsync(reference);
            }
            catch (Exception exception)
            {
                // The screen lapses on its own when it stops renewing.
                LogUnsubscribeFailed(logger, exception, seatId);
            }

            grains.DeleteObjectReference<ISeatObserver>(reference);
        }
    }

    /// <summary>Renews the screen; true when the seat did not know it any more.</summary>
    private async Task<bool> RenewAsync(ISeatGrain seat, ISeatObserver reference, ILogger logger)
    {
        try
        {
            return await seat.SubscribeAsync(reference);
        }
        catch (Exception exception)
        {
            // The stream stays open; the next keep-alive tries again before the grace runs out.
            LogRenewFailed(logger, exception, seatId);
            return false;
        }
    }

    private static async Task WriteFiguresAsync(HttpContext http, SeatLiveFigures live, LiveServiceLevel? figures, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        if (figures is not null && live.IsNews(figures, keepAlive))
        {
            await http.Response.WriteAsync($"event: {SeatLiveFigures.EventName}\ndata: {live.Sent(figures)}\n\n", cancellationToken);
        }
    }

    /// <summary>The outages going on in the seat's districts: a screen that connects mid-outage knows why its devices are silent.</summary>
    private async Task WriteOutagesInProgressAsync(HttpContext http, IGrainFactory grains, ISeatGrain seat, JsonSerializerOptions json, ILogger logger, CancellationToken cancellationToken)
    {
        IReadOnlyList<OutageSnapshot> outages;
        IReadOnlyList<string> districts;
        try
        {
            districts = (await seat.GetStatusAsync()).Districts;
            outages = await grains.GetGrain<IOutageGrain>(0).GetOutagesAsync();
        }
        catch (Exception exception)
        {
            // Those declared from now on still come; the supervisors' list has the rest.
            LogOutagesFailed(logger, exception, seatId);
            return;
        }

        foreach (var outage in outages.Where(o => o.EndedAt is null && SeatOutageNotice.Concerns(districts, o.Scope)))
        {
            var notice = SeatOutageNotice.Of(outage);
            await WriteAsync(http, OutageEvent, $"{notice.OutageId}:{notice.Change.ToSnakeCase()}", notice, json, cancellationToken);
        }
    }

    private static Task WriteAsync(HttpContext http, string eventName, string? eventId, object notice, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var text = new StringBuilder().Append("event: ").Append(eventName).Append('\n');
        if (eventId is not null)
        {
            text.Append("id: ").Append(eventId).Append('\n');
        }

        // One line: System.Text.Json escapes line breaks inside strings, and does not indent.
        text.Append("data: ").Append(JsonSerializer.Serialize(notice, notice.GetType(), json)).Append("\n\n");
        return http.Response.WriteAsync(text.ToString(), cancellationToken);
    }

    [LoggerMessage(4101, LogLevel.Warning, "Seat {SeatId}: renewing the screen failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string seatId);

    [LoggerMessage(4105, LogLevel.Warning, "Seat {SeatId}: the outages in progress could not be read for a connecting screen")]
    private static partial void LogOutagesFailed(ILogger logger, Exception exception, string seatId);

    [LoggerMessage(4102, LogLevel.Warning, "Seat {SeatId}: unsubscribing the screen failed")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string seatId);
}
