using System.Threading.Channels;
using ElderIoT.Contracts.Seats;

namespace ElderIoT.Api.Seats;

/// <summary>
/// One seat screen's connection: an observer the seat grain pushes notices to (an alarm's
/// <see cref="SeatAlarmNotice"/>, an outage's <see cref="SeatOutageNotice"/>), buffered in order in a
/// bounded channel. A screen that cannot keep up loses the oldest notices, never the process's memory;
/// the REST list stays the source of truth. Completing it ends the stream.
/// </summary>
internal sealed class SeatStream : ISeatObserver
{
    private readonly Channel<object> _notices = Channel.CreateBounded<object>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public Task OnAlarmNoticeAsync(SeatAlarmNotice notice)
    {
        _notices.Writer.TryWrite(notice);
        return Task.CompletedTask;
    }

    public Task OnOutageAsync(SeatOutageNotice notice)
    {
        _notices.Writer.TryWrite(notice);
        return Task.CompletedTask;
    }

    /// <summary>Waits until a notice can be read; false once the stream is completed.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _notices.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>The next notice: a <see cref="SeatAlarmNotice"/> or a <see cref="SeatOutageNotice"/>.</summary>
    public bool TryRead(out object notice) => _notices.Reader.TryRead(out notice!);

    /// <summary>Ends the stream once the notices already buffered are sent.</summary>
    public void Complete() => _notices.Writer.TryComplete();
}
