using System.Text.Json;
using System.Threading.Channels;
using ElderIoT.Contracts.Reports;
using ElderIoT.Contracts.Seats;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Api.Seats;

/// <summary>
/// A seat stream's view of the day's live service level (<see cref="ILiveServiceLevelGrain"/>): the
/// figures of the seat's districts, pushed when an alarm of them changes anywhere in the cluster,
/// renewed at every keep-alive. Only the latest figures are kept: a burst reads as one event.
/// Nothing here may end or hold up the stream's alarm notices: a failure is logged and tried again
/// at the next keep-alive.
/// </summary>
internal sealed partial class SeatLiveFigures(IGrainFactory grains, ISeatGrain seat, string seatId, JsonSerializerOptions json, ILogger logger)
    : IServiceLevelObserver
{
    /// <summary>The stream's event that carries the figures.</summary>
    public const string EventName = "service_level";

    /// <summary>The stream sends the figures at least this often, changed or not (the console sees the day turn).</summary>
    public static readonly TimeSpan AtLeastEvery = TimeSpan.FromMinutes(1);

    private readonly Channel<LiveServiceLevel> _pushed = Channel.CreateBounded<LiveServiceLevel>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private IServiceLevelObserver? _reference;
    private string? _lastSent;
    private long _lastSentAt;

    private ILiveServiceLevelGrain Figures => grains.GetGrain<ILiveServiceLevelGrain>(0);

    public Task OnServiceLevelAsync(LiveServiceLevel figures)
    {
        _pushed.Writer.TryWrite(figures);
        return Task.CompletedTask;
    }

    /// <summary>Waits until pushed figures can be read; false once completed.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _pushed.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>The latest pushed figures, if any.</summary>
    public LiveServiceLevel? TakePushed()
    {
        LiveServiceLevel? latest = null;
        while (_pushed.Reader.TryRead(out var figures))
        {
            latest = figures;
        }

        return latest;
    }

    /// <summary>
    /// Watches (or renews the watch of) the seat's districts' figures and answers them as they stand;
    /// null when they cannot be had now. Also the renewal: the figures' grain forgets a stream that stops.
    /// </summary>
    public async Task<LiveServiceLevel?> WatchAsync()
    {
        try
        {
            _reference ??= grains.CreateObjectReference<IServiceLevelObserver>(this);
            var status = await seat.GetStatusAsync();
            return await Figures.WatchAsync(_reference, status.Districts);
        }
        catch (Exception exception)
        {
            LogWatchFailed(logger, exception, seatId);
            return null;
        }
    }

    /// <summary>
    /// Whether figures are news for the screen: they differ from the last sent (a change pushed, or one
    /// missed while the figures' grain moved), or the last were sent nearly <see cref="AtLeastEvery"/> ago
    /// (so the next keep-alive would be late).
    /// </summary>
    public bool IsNews(LiveServiceLevel figures, TimeSpan keepAlive) =>
        _lastSent is null
        || _lastSent != Key(figures)
        || TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastSentAt) + keepAlive > AtLeastEvery;

    /// <summary>The event's data, and notes it as sent.</summary>
    public string Sent(LiveServiceLevel figures)
    {
        _lastSent = Key(figures);
        _lastSentAt = Environment.TickCount64;
        return JsonSerializer.Serialize(figures, json);
    }

    /// <summary>Stops watching; the watch lapses on its own when this fails.</summary>
    public async Task StopAsync()
    {
        _pushed.Writer.TryComplete();
        if (_reference is null)
        {
            return;
        }

        try
        {
            await Figures.UnwatchAsync(_reference);
        }
        catch (Exception exception)
        {
            LogUnwatchFailed(logger, exception, seatId);
        }

        grains.DeleteObjectReference<IServiceLevelObserver>(_reference);
    }

    /// <summary>What the figures say, without when they were computed.</summary>
    private string Key(LiveServiceLevel figures) => JsonSerializer.Serialize(figures with { ComputedAt = default }, json);

    [LoggerMessage(4103, LogLevel.Warning, "Seat {SeatId}: the live service-level figures could not be had; tried again at the next keep-alive")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string seatId);

    [LoggerMessage(4104, LogLevel.Warning, "Seat {SeatId}: unwatching the live service-level figures failed")]
    private static partial void LogUnwatchFailed(ILogger logger, Exception exception, string seatId);
}
