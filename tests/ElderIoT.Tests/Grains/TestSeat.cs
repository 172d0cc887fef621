using ElderIoT.Contracts.Seats;

namespace ElderIoT.Tests.Grains;

/// <summary>A seat on duty with at most one screen (an observer in the test), taken off duty when the test ends so it leaves no seat present behind.</summary>
internal sealed class TestSeat(IGrainFactory grains, string id) : IAsyncDisposable
{
    private readonly Screen _screen = new();
    private ISeatObserver? _reference;

    public string Id => id;

    public ISeatGrain Grain => grains.GetGrain<ISeatGrain>(id);

    /// <summary>The notices the screen received.</summary>
    public IReadOnlyList<SeatAlarmNotice> Notices => [.. _screen.Notices];

    public static async Task<TestSeat> OnDutyAsync(IGrainFactory grains, string district, bool screen = true)
    {
        var seat = new TestSeat(grains, $"seat-{Guid.NewGuid():N}");
        await seat.Grain.GoOnlineAsync([district]);
        if (screen)
        {
            await seat.OpenScreenAsync();
        }

        return seat;
    }

    public async Task OpenScreenAsync()
    {
        _reference ??= grains.CreateObjectReference<ISeatObserver>(_screen);
        await Grain.SubscribeAsync(_reference);
    }

    /// <summary>What the stream does at every keep-alive.</summary>
    public Task RenewAsync() => Grain.SubscribeAsync(_reference!);

    public Task CloseScreenAsync() => Grain.UnsubscribeAsync(_reference!);

    public async ValueTask DisposeAsync()
    {
        await Grain.GoOfflineAsync();
        if (_reference is not null)
        {
            grains.DeleteObjectReference<ISeatObserver>(_reference);
        }
    }

    private sealed class Screen : ISeatObserver
    {
        public System.Collections.Concurrent.ConcurrentQueue<SeatAlarmNotice> Notices { get; } = new();

        public Task OnAlarmNoticeAsync(SeatAlarmNotice notice)
        {
            Notices.Enqueue(notice);
            return Task.CompletedTask;
        }

        public Task OnOutageAsync(SeatOutageNotice notice) => Task.CompletedTask;
    }
}
