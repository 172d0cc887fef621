using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ElderIoT.Contracts.Seats;

namespace ElderIoT.Api.Seats;

/// <summary>
/// One seat screen's connection: an observer the seat grain pushes notices to, buffered in a
/// bounded channel. A screen that cannot keep up loses the oldest notices, never the process's memory;
/// the REST list stays the source of truth.
/// </summary>
internal sealed class SeatStream : ISeatObserver
{
    private readonly Channel<SeatAlarmNotice> _notices = Channel.CreateBounded<SeatAlarmNotice>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public Task OnAlarmNoticeAsync(SeatAlarmNotice notice)
    {
        _notices.Writer.TryWrite(notice);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<SeatAlarmNotice> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var notice in _notices.Reader.ReadAllAsync(cancellationToken))
        {
            yield return notice;
        }
    }
}
