using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Seats;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Grains;

/// <summary>
/// Seats that are there and seats that are not, on the fake domain clock: offers go only to seats
/// with a screen (or within the reconnect grace), an alarm nobody can take goes to supervisors and
/// every contact at once, and a reconnecting screen's replay follows the offers' rule.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(ClusterCollection.Name)]
public sealed class SeatPresenceTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Grace = new SeatDutyOptions().ReconnectGrace;
    private static readonly TimeSpan KeepAlive = new SeatDutyOptions().KeepAliveInterval;

    private IGrainFactory Grains => fixture.Grains;

    private ISeatDirectoryGrain Directory => Grains.GetGrain<ISeatDirectoryGrain>(0);

    [Fact]
    public async Task AnAlarmIsOfferedOnlyToTheDistrictSeatsThatHaveAScreen()
    {
        var district = UniqueDistrict();
        await using var watching = await SeatAsync(district, screen: true);
        await using var away = await SeatAsync(district, screen: false);

        var covered = await Directory.FindSeatsAsync($"{district}/街道/社区", SeatReach.District);
        var everyone = await Directory.FindSeatsAsync($"{district}/街道/社区", SeatReach.All);

        Assert.Equal([watching.Id], covered.SeatIds);
        Assert.True(covered.DistrictMatched);
        Assert.DoesNotContain(away.Id, everyone.SeatIds);
        Assert.Equal(SeatPresence.Away, (await away.Grain.GetStatusAsync()).Presence);
        Assert.Equal(SeatPresence.Watching, (await watching.Grain.GetStatusAsync()).Presence);
    }

    [Fact]
    public async Task ASeatWhoseScreenLeftIsOfferedAlarmsForTheGraceOnly()
    {
        var district = UniqueDistrict();
        await using var seat = await SeatAsync(district, screen: true);

        await seat.CloseScreenAsync();
        ClusterFixture.Clock.Advance(Grace - TimeSpan.FromSeconds(1));
        var withinGrace = await Directory.FindSeatsAsync(district, SeatReach.District);
        var statusWithin = await seat.Grain.GetStatusAsync();
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var afterGrace = await Directory.FindSeatsAsync(district, SeatReach.District);

        Assert.Equal([seat.Id], withinGrace.SeatIds);
        Assert.Equal(SeatPresence.Reconnecting, statusWithin.Presence);
        Assert.DoesNotContain(seat.Id, afterGrace.SeatIds);
        Assert.Equal(SeatPresence.Away, (await seat.Grain.GetStatusAsync()).Presence);
    }

    [Fact]
    public async Task AScreenThatStopsRenewingIsGoneAfterAKeepAliveAndTheGrace()
    {
        var district = UniqueDistrict();
        await using var seat = await SeatAsync(district, screen: true);

        ClusterFixture.Clock.Advance(KeepAlive);
        await seat.RenewAsync();
        ClusterFixture.Clock.Advance(KeepAlive + Grace - TimeSpan.FromSeconds(1));
        var stillThere = await Directory.FindSeatsAsync(district, SeatReach.District);
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var gone = await Directory.FindSeatsAsync(district, SeatReach.District);

        Assert.True(stillThere.DistrictMatched);
        Assert.False(gone.DistrictMatched);
        Assert.Equal(SeatPresence.Away, (await seat.Grain.GetStatusAsync()).Presence);
    }

    [Fact]
    public async Task AnAlarmNobodyCanTakeIsOverdueAtOnceAndEveryContactIsTextedOnce()
    {
        await LeaveNoSeatPresentAsync();
        var (_, deviceId, phones) = await ElderWithDeviceAsync(UniqueDistrict(), contacts: 3);

        var receipt = await Grains.GetGrain<IDeviceGrain>(deviceId).ReportEventAsync(Sos(deviceId));
        var alarm = (await Grains.GetGrain<IAlarmGrain>(receipt.AlarmId!.Value).GetAsync())!;
        var timeline = await TimelineAsync(alarm.Id);
        var texts = await NotificationsAsync(alarm.Id);

        Assert.True(alarm.Overdue);
        Assert.Equal(AlarmStatus.Open, alarm.Status);
        Assert.Contains("no_seat_present", timeline);
        Assert.Contains("overdue", timeline);
        Assert.Equal(phones, texts.Select(n => n.Recipient).Order());
    }

    [Fact]
    public async Task AReconnectingSeatOfAnotherDistrictIsShownTheAlarmItWasOfferedBecauseNoDistrictSeatWasThere()
    {
        await LeaveNoSeatPresentAsync();
        var elsewhere = UniqueDistrict();
        await using var seat = await SeatAsync(UniqueDistrict(), screen: true);
        var (_, deviceId, _) = await ElderWithDeviceAsync(elsewhere, contacts: 1);

        var receipt = await Grains.GetGrain<IDeviceGrain>(deviceId).ReportEventAsync(Sos(deviceId));
        var offered = await TimelineDetailsAsync(receipt.AlarmId!.Value, "offered");
        await seat.CloseScreenAsync();
        await seat.OpenScreenAsync();
        var replay = await seat.Grain.GetOpenAlarmsAsync();

        Assert.Contains(offered, d => d.Contains(seat.Id, StringComparison.Ordinal));
        Assert.Contains(replay, n => n.Alarm.Id == receipt.AlarmId && n.Change == AlarmChange.Open);
        Assert.False((await Grains.GetGrain<IAlarmGrain>(receipt.AlarmId.Value).GetAsync())!.Overdue);
    }

    [Fact]
    public async Task ASeatOffDutyOrWithoutAScreenIsShownNothingAndASeatOfAnotherDistrictNotItsNeighboursAlarms()
    {
        var district = UniqueDistrict();
        await using var local = await SeatAsync(district, screen: true);
        await using var other = await SeatAsync(UniqueDistrict(), screen: true);
        var (_, deviceId, _) = await ElderWithDeviceAsync(district, contacts: 1);

        var receipt = await Grains.GetGrain<IDeviceGrain>(deviceId).ReportEventAsync(Sos(deviceId));
        var localReplay = await local.Grain.GetOpenAlarmsAsync();
        var otherReplay = await other.Grain.GetOpenAlarmsAsync();
        await local.Grain.GoOfflineAsync();

        Assert.Contains(localReplay, n => n.Alarm.Id == receipt.AlarmId);
        Assert.DoesNotContain(otherReplay, n => n.Alarm.Id == receipt.AlarmId);
        Assert.Empty(await local.Grain.GetOpenAlarmsAsync());
        Assert.DoesNotContain(local.Id, (await Directory.FindSeatsAsync(district, SeatReach.All)).SeatIds);
    }

    private static string UniqueDistrict() => $"南京市/区{Guid.NewGuid():N}";

    /// <summary>Every seat other tests left present is out of its grace once the clock passes it.</summary>
    private async Task LeaveNoSeatPresentAsync()
    {
        ClusterFixture.Clock.Advance(KeepAlive + Grace + TimeSpan.FromSeconds(1));
        Assert.Empty(await Directory.GetPresentSeatsAsync());
    }

    private Task<TestSeat> SeatAsync(string district, bool screen) => TestSeat.OnDutyAsync(Grains, district, screen);

    private async Task<(Guid ElderId, string DeviceId, string[] Phones)> ElderWithDeviceAsync(string district, int contacts)
    {
        var elderId = Guid.NewGuid();
        var phones = Enumerable.Range(0, contacts).Select(_ => $"+86137{Random.Shared.Next(10_000_000, 99_999_999)}").Order().ToArray();
        await Grains.GetGrain<IElderGrain>(elderId).CreateAsync(new ElderProfile(
            "陈玉兰", null, "南京市某路1号", $"{district}/街道/社区", null, new DateOnly(1940, 1, 1),
            Sex.Female, CareLevel.Assisted, [], [], "zh-CN",
            [.. phones.Select((p, i) => new Contact($"家属{i}", "儿子", p, "zh-CN"))]));
        var deviceId = $"p-{Guid.NewGuid():N}";
        await Grains.GetGrain<IDeviceGrain>(deviceId).RegisterAsync(DeviceKind.Watch, elderId);
        return (elderId, deviceId, phones);
    }

    private static DeviceEvent Sos(string deviceId) => new(deviceId, "1", DeviceEventType.Sos, ClusterFixture.Clock.GetUtcNow(), null);

    private IDbContextFactory<ElderIoTDbContext> Contexts =>
        ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();

    private async Task<List<string>> TimelineAsync(Guid alarmId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.AlarmTimeline.AsNoTracking().Where(t => t.AlarmId == alarmId).Select(t => t.Type).ToListAsync();
    }

    private async Task<List<string>> TimelineDetailsAsync(Guid alarmId, string type)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.AlarmTimeline.AsNoTracking().Where(t => t.AlarmId == alarmId && t.Type == type).Select(t => t.Detail ?? "").ToListAsync();
    }

    private async Task<List<NotificationRecord>> NotificationsAsync(Guid alarmId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Notifications.AsNoTracking().Where(n => n.AlarmId == alarmId).ToListAsync();
    }
}
