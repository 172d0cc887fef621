using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Callbacks;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Records;
using ElderIoT.Tests.Grains;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace ElderIoT.Tests.Callbacks;

/// <summary>Which resolutions schedule a call-back (回访), and when it is due, on the cluster's fake clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CallbackSchedulingTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task ARealEmergencyScheduleOneCallBackDueADayAfterTheResolution()
    {
        var (alarmId, district) = await AcceptedAlarmAsync("seat-cb-1");
        var resolvedAt = ClusterFixture.Clock.GetUtcNow();

        await Grains.GetGrain<IAlarmGrain>(alarmId).ResolveAsync("seat-cb-1", AlarmOutcome.RealEmergency, "ambulance came");

        var task = Assert.Single(await CallbacksAsync(alarmId));
        Assert.Equal(CallbackStatus.Pending, task.Status);
        Assert.Equal(resolvedAt + TimeSpan.FromHours(24), task.DueAt);
        Assert.Equal(district, task.District);
        Assert.Null(task.Result);
    }

    [Fact]
    public async Task NobodyReachedSchedulesACallBackAndAFalseAlarmNone()
    {
        var (noContact, _) = await AcceptedAlarmAsync("seat-cb-2");
        var (falseAlarm, _) = await AcceptedAlarmAsync("seat-cb-3");

        await Grains.GetGrain<IAlarmGrain>(noContact).ResolveAsync("seat-cb-2", AlarmOutcome.NoContact, null);
        await Grains.GetGrain<IAlarmGrain>(falseAlarm).ResolveAsync("seat-cb-3", AlarmOutcome.FalseAlarm, "pressed by mistake");

        Assert.Single(await CallbacksAsync(noContact));
        Assert.Empty(await CallbacksAsync(falseAlarm));
    }

    [Fact]
    public async Task ASecondResolveOfTheSameAlarmAddsNoSecondCallBack()
    {
        var (alarmId, _) = await AcceptedAlarmAsync("seat-cb-4");
        var alarm = Grains.GetGrain<IAlarmGrain>(alarmId);
        await alarm.ResolveAsync("seat-cb-4", AlarmOutcome.RealEmergency, null);

        await Assert.ThrowsAsync<AlarmConflictException>(() => alarm.ResolveAsync("seat-cb-4", AlarmOutcome.RealEmergency, null));

        Assert.Single(await CallbacksAsync(alarmId));
    }

    private IDbContextFactory<ElderIoTDbContext> Contexts =>
        ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();

    private async Task<List<CallbackTaskRecord>> CallbacksAsync(Guid alarmId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.CallbackTasks.AsNoTracking().Where(t => t.AlarmId == alarmId).ToListAsync();
    }

    private async Task<(Guid AlarmId, string District)> AcceptedAlarmAsync(string seatId)
    {
        var district = $"南京市/回访{Guid.NewGuid():N}";
        var elderId = Guid.NewGuid();
        await Grains.GetGrain<IElderGrain>(elderId).CreateAsync(new ElderProfile(
            "陈玉珍", null, "南京市鼓楼区中山路2号", district, null, new DateOnly(1940, 3, 1),
            Sex.Female, CareLevel.Assisted, [], [], "zh-CN", [new Contact("家属", "儿子", "+8613700000001", "zh-CN")]));
        var watch = $"w-{Guid.NewGuid():N}";
        await Grains.GetGrain<IDeviceGrain>(watch).RegisterAsync(DeviceKind.Watch, elderId);
        var raised = await Grains.GetGrain<IDeviceGrain>(watch).ReportEventAsync(
            new DeviceEvent(watch, "1", DeviceEventType.Sos, ClusterFixture.Clock.GetUtcNow(), null));
        await Grains.GetGrain<IAlarmGrain>(raised.AlarmId!.Value).AcceptAsync(seatId);
        return (raised.AlarmId.Value, district);
    }
}
