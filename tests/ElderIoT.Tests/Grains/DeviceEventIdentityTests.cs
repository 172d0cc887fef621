using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Grains;

/// <summary>Which messages are the same event, and what travels with an event through the grains.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(ClusterCollection.Name)]
public sealed class DeviceEventIdentityTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task AReusedIdIsANewEventNotedAsSuchWhileAResendIsADuplicate()
    {
        var (elderId, deviceId) = await ElderWithDeviceAsync();
        var device = Grains.GetGrain<IDeviceGrain>(deviceId);
        var now = ClusterFixture.Clock.GetUtcNow();
        var door = new DeviceEvent(deviceId, "r1", DeviceEventType.Door, now.AddHours(-2), null) { DeviceTime = now.AddHours(-2) };
        var sos = new DeviceEvent(deviceId, "r1", DeviceEventType.Sos, now, null) { DeviceTime = now };

        var first = await device.ReportEventAsync(door);
        var raised = await device.ReportEventAsync(sos);
        var resent = await device.ReportEventAsync(sos);

        Assert.Null(first.AlarmId);
        Assert.NotNull(raised.AlarmId);
        Assert.False(raised.Duplicate);
        Assert.Equal(EventAnomalyKind.IdReused, Assert.Single(raised.Anomalies).Kind);
        Assert.True(resent.Duplicate);
        Assert.Equal(raised.AlarmId, resent.AlarmId);
        var alarm = (await Grains.GetGrain<IAlarmGrain>(raised.AlarmId!.Value).GetAsync())!;
        Assert.StartsWith("event id r1 reused: used before for door", Assert.Single(alarm.Anomalies).Detail, StringComparison.Ordinal);
        var contexts = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var records = await db.DeviceEvents.Where(e => e.DeviceId == deviceId).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["door", "sos"], records.Select(r => r.Type));
        Assert.StartsWith("id_reused: event id r1 reused", Assert.Single(records[1].Anomalies), StringComparison.Ordinal);
        Assert.Equal(elderId, alarm.ElderId);
    }

    [Fact]
    public async Task TheSameIdAndTypeWithoutADeviceTimeIsAResendForHalfAnHourAndANewPressAfter()
    {
        var (_, deviceId) = await ElderWithDeviceAsync();
        var device = Grains.GetGrain<IDeviceGrain>(deviceId);
        // A wall button: no clock, and its counter starts at 1 again after a battery change.
        DeviceEvent Press() => new(deviceId, "1", DeviceEventType.Sos, ClusterFixture.Clock.GetUtcNow(), null);

        var first = await device.ReportEventAsync(Press());
        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(29));
        var resent = await device.ReportEventAsync(Press());
        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var pressedAgain = await device.ReportEventAsync(Press());
        var pressedAgainResent = await device.ReportEventAsync(Press());

        Assert.True(resent.Duplicate);
        Assert.False(pressedAgain.Duplicate);
        Assert.NotNull(pressedAgain.AlarmId);
        Assert.Equal(EventAnomalyKind.IdReused, Assert.Single(pressedAgain.Anomalies).Kind);
        Assert.True(pressedAgainResent.Duplicate);
        var contexts = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        Assert.Equal(2, await db.DeviceEvents.CountAsync(e => e.DeviceId == deviceId && e.Type == "sos"));
        Assert.Equal(first.AlarmId, pressedAgain.AlarmId); // the alarm was still open: the press joined it
    }

    [Fact]
    public void AnomaliesAndTheDeviceTimeSurviveSerialisationBetweenSilos()
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var anomalies = new[] { new EventAnomaly(EventAnomalyKind.ClockAhead, "device clock 1 h ahead") };
        var deviceEvent = new DeviceEvent("w1", "1", DeviceEventType.Sos, DateTimeOffset.UnixEpoch, null) { DeviceTime = DateTimeOffset.UnixEpoch.AddHours(1), Anomalies = anomalies };
        var snapshot = new AlarmSnapshot(Guid.NewGuid(), Guid.NewGuid(), "d", AlarmKind.Sos, AlarmStatus.Open, false, 1, DateTimeOffset.UnixEpoch, "w1", null, null, null, null, null, null, false) { Anomalies = anomalies };

        var eventCopy = serializer.Deserialize<DeviceEvent>(serializer.SerializeToArray(deviceEvent))!;
        var snapshotCopy = serializer.Deserialize<AlarmSnapshot>(serializer.SerializeToArray(snapshot))!;

        Assert.Equal(deviceEvent.DeviceTime, eventCopy.DeviceTime);
        Assert.Equal(anomalies, eventCopy.Anomalies);
        Assert.Equal(anomalies, snapshotCopy.Anomalies);
    }

    private async Task<(Guid ElderId, string DeviceId)> ElderWithDeviceAsync()
    {
        var elderId = Guid.NewGuid();
        await Grains.GetGrain<IElderGrain>(elderId).CreateAsync(new ElderProfile(
            "赵淑珍", null, "南京市鼓楼区北京西路2号", "南京市/鼓楼区/宁海路街道/颐和路社区", null, new DateOnly(1940, 2, 1),
            Sex.Female, CareLevel.Assisted, [], [], "zh-CN", []));
        var deviceId = $"i-{Guid.NewGuid():N}";
        await Grains.GetGrain<IDeviceGrain>(deviceId).RegisterAsync(DeviceKind.Watch, elderId);
        return (elderId, deviceId);
    }
}
