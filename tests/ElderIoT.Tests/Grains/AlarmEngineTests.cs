using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Seats;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace ElderIoT.Tests.Grains;

/// <summary>
/// What happens to alarms once raised, through the real grains on the fake clock: incidents that name
/// every cause, cancels that cover only what they should, late events, ladders per severity, centre
/// alarms that clear themselves, and a seat's queue ordered critical first.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AlarmEngineTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task GasAfterSmokeJoinsTheSmokeIncidentAndTheFamilyIsToldOfBoth()
    {
        var district = UniqueDistrict();
        var (elderId, _, phones) = await ElderAsync(district, contacts: 2);
        await using var seat = await TestSeat.OnDutyAsync(Grains, district);
        var smoke = await SensorAsync(elderId);
        var gas = await SensorAsync(elderId);

        var raised = await Grains.GetGrain<IDeviceGrain>(smoke).ReportEventAsync(Event(smoke, "1", DeviceEventType.Smoke));
        var joined = await Grains.GetGrain<IDeviceGrain>(gas).ReportEventAsync(Event(gas, "1", DeviceEventType.Gas));
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(61));
        await seat.RenewAsync();
        var alarm = Grains.GetGrain<IAlarmGrain>(raised.AlarmId!.Value);
        await alarm.AdvanceEscalationAsync();
        var texts = await EventuallyAsync(() => NotificationsAsync(raised.AlarmId.Value), list => list.Count(n => n.Step == 2) == phones.Length);

        Assert.Equal(raised.AlarmId, joined.AlarmId);
        var snapshot = (await alarm.GetAsync())!;
        Assert.Equal([AlarmKind.Smoke, AlarmKind.Gas], snapshot.Kinds);
        Assert.Equal([smoke, gas], snapshot.Devices);
        await NoticeAsync(seat, n => n.Change == AlarmChange.Joined && n.Alarm.Kinds.Contains(AlarmKind.Gas));
        // The texts after the gas joined name both; zh-CN for the first contact, English for the second.
        Assert.Contains("烟雾、燃气泄漏", texts.Single(n => n.Step == 2 && n.Recipient == phones[0]).Body, StringComparison.Ordinal);
        // The second step's text says the incident is still not answered, naming both kinds.
        Assert.Contains("'s smoke, gas leak alarm of", texts.Single(n => n.Step == 2 && n.Recipient == phones[1]).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFallThenAnSosOfTheSameElderAreOneIncident()
    {
        var district = UniqueDistrict();
        var (_, watch, _) = await ElderAsync(district, contacts: 1);
        await using var seat = await TestSeat.OnDutyAsync(Grains, district);

        var fall = await Grains.GetGrain<IDeviceGrain>(watch).ReportEventAsync(Event(watch, "1", DeviceEventType.Fall));
        var sos = await Grains.GetGrain<IDeviceGrain>(watch).ReportEventAsync(Event(watch, "2", DeviceEventType.Sos));

        Assert.Equal(fall.AlarmId, sos.AlarmId);
        Assert.Equal([AlarmKind.Fall, AlarmKind.Sos], (await Grains.GetGrain<IAlarmGrain>(fall.AlarmId!.Value).GetAsync())!.Kinds);
    }

    [Fact]
    public async Task AWatchCancelDoesNotCancelASmokeAlarmASensorRaised()
    {
        var district = UniqueDistrict();
        var (elderId, watch, _) = await ElderAsync(district, contacts: 1);
        await using var seat = await TestSeat.OnDutyAsync(Grains, district);
        var smoke = await SensorAsync(elderId);

        var raised = await Grains.GetGrain<IDeviceGrain>(smoke).ReportEventAsync(Event(smoke, "1", DeviceEventType.Smoke));
        var cancel = await Grains.GetGrain<IDeviceGrain>(watch).ReportEventAsync(Event(watch, "c1", DeviceEventType.SosCancel));
        var alarm = (await Grains.GetGrain<IAlarmGrain>(raised.AlarmId!.Value).GetAsync())!;
        var timeline = await TimelineAsync(alarm.Id);

        Assert.Equal(raised.AlarmId, cancel.AlarmId);
        Assert.False(alarm.CancelRequested);
        Assert.DoesNotContain(timeline, t => t.Type == "cancel_requested");
        Assert.Contains(timeline, t => t.Type == "cancel_ignored" && t.Actor == $"device:{watch}");
        await NoticeAsync(seat, n => n.Change == AlarmChange.CancelIgnored);
    }

    [Fact]
    public async Task AnSosBufferedWhileOfflineIsRaisedEscalatedAndShownLateToTheSeat()
    {
        var district = UniqueDistrict();
        var (_, watch, phones) = await ElderAsync(district, contacts: 1);
        await using var seat = await TestSeat.OnDutyAsync(Grains, district);
        var deviceTime = ClusterFixture.Clock.GetUtcNow().AddMinutes(-15);

        var receipt = await Grains.GetGrain<IDeviceGrain>(watch).ReportEventAsync(
            new DeviceEvent(watch, "late-1", DeviceEventType.Sos, deviceTime, null) { DeviceTime = deviceTime });

        var offer = await NoticeAsync(seat, n => n.Change == AlarmChange.Offered);
        Assert.Equal(receipt.AlarmId, offer.Alarm.Id);
        Assert.True(offer.Alarm.Late);
        Assert.Contains("15 min", offer.Alarm.Anomalies.Single(a => a.Kind == EventAnomalyKind.ArrivedLate).Detail, StringComparison.Ordinal);
        Assert.Equal([phones[0]], (await NotificationsAsync(receipt.AlarmId!.Value)).Select(n => n.Recipient));
    }

    [Fact]
    public async Task ALowSeverityAlarmTextsNoFamilyWhileACriticalOneTextsTheFamilyAtOnce()
    {
        var district = UniqueDistrict();
        await using var seat = await TestSeat.OnDutyAsync(Grains, district);
        var (quietElder, quietWatch, _) = await ElderAsync(district, contacts: 2);
        var (_, sosWatch, sosPhones) = await ElderAsync(district, contacts: 2);

        var silent = await Grains.GetGrain<IElderGrain>(quietElder).RaiseCentreAlarmAsync(new CentreAlarm(AlarmKind.DeviceSilent, quietWatch, ClusterFixture.Clock.GetUtcNow()));
        var sos = await Grains.GetGrain<IDeviceGrain>(sosWatch).ReportEventAsync(Event(sosWatch, "1", DeviceEventType.Sos));
        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(30));
        await seat.RenewAsync();
        await Grains.GetGrain<IAlarmGrain>(silent).AdvanceEscalationAsync();

        Assert.Equal(AlarmSeverity.Low, (await Grains.GetGrain<IAlarmGrain>(silent).GetAsync())!.Severity);
        Assert.Empty(await NotificationsAsync(silent));
        Assert.Equal([sosPhones[0]], (await NotificationsAsync(sos.AlarmId!.Value)).Where(n => n.Step == 1).Select(n => n.Recipient));
        Assert.False((await Grains.GetGrain<IAlarmGrain>(silent).GetAsync())!.Overdue);
    }

    [Fact]
    public async Task ASilentDeviceThatReportsAgainBeforeAnyoneTookItsAlarmClosesTheAlarm()
    {
        var district = UniqueDistrict();
        await using var seat = await TestSeat.OnDutyAsync(Grains, district);
        var (elderId, watch, _) = await ElderAsync(district, contacts: 1);
        var elder = Grains.GetGrain<IElderGrain>(elderId);

        var alarmId = await elder.RaiseCentreAlarmAsync(new CentreAlarm(AlarmKind.DeviceSilent, watch, ClusterFixture.Clock.GetUtcNow())
        {
            Detail = new CentreAlarmDetail([]) { Lasted = TimeSpan.FromMinutes(10) },
        });
        var cleared = await elder.ClearCentreAlarmAsync(AlarmKind.DeviceSilent, watch, AlarmRecovery.DeviceReporting);
        var next = await Grains.GetGrain<IDeviceGrain>(watch).ReportEventAsync(Event(watch, "1", DeviceEventType.Sos));

        Assert.Equal(AlarmClearResult.SelfCleared, cleared);
        var alarm = (await Grains.GetGrain<IAlarmGrain>(alarmId).GetAsync())!;
        Assert.Equal((AlarmStatus.Resolved, AlarmOutcome.SelfCleared), (alarm.Status, alarm.Outcome));
        await NoticeAsync(seat, n => n.Alarm.Id == alarmId && n.Change == AlarmChange.Resolved);
        Assert.NotEqual(alarmId, next.AlarmId);
    }

    [Fact]
    public async Task ARecoveryAfterASeatTookTheAlarmIsRecordedAndTheAlarmStaysWithTheSeat()
    {
        var district = UniqueDistrict();
        await using var seat = await TestSeat.OnDutyAsync(Grains, district);
        var (elderId, watch, _) = await ElderAsync(district, contacts: 1);
        var elder = Grains.GetGrain<IElderGrain>(elderId);
        var alarmId = await elder.RaiseCentreAlarmAsync(new CentreAlarm(AlarmKind.Vitals, watch, ClusterFixture.Clock.GetUtcNow())
        {
            Detail = new CentreAlarmDetail([new AlarmReading(AlarmReadingKind.HeartRate, 180, ClusterFixture.Clock.GetUtcNow())]) { Threshold = 120 },
        });
        await Grains.GetGrain<IAlarmGrain>(alarmId).AcceptAsync(seat.Id);

        var cleared = await elder.ClearCentreAlarmAsync(AlarmKind.Vitals, watch, AlarmRecovery.VitalsNormal);

        Assert.Equal(AlarmClearResult.RecoveryRecorded, cleared);
        Assert.Equal(AlarmStatus.Accepted, (await Grains.GetGrain<IAlarmGrain>(alarmId).GetAsync())!.Status);
        var timeline = await TimelineAsync(alarmId);
        Assert.Contains(timeline, t => t.Type == "recovered" && t.Parameters.SequenceEqual(["vitals", watch, "vitals_normal"]));
        Assert.Contains("heart_rate 180", timeline.Single(t => t.Type == "raised").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASeatsReplayIsCriticalFirstThenOldest()
    {
        var district = UniqueDistrict();
        await using var seat = await TestSeat.OnDutyAsync(Grains, district);
        var (lowElder, lowWatch, _) = await ElderAsync(district, contacts: 0);
        var (_, firstSos, _) = await ElderAsync(district, contacts: 0);
        var (_, secondSos, _) = await ElderAsync(district, contacts: 0);

        var low = await Grains.GetGrain<IElderGrain>(lowElder).RaiseCentreAlarmAsync(new CentreAlarm(AlarmKind.LowBattery, lowWatch, ClusterFixture.Clock.GetUtcNow()));
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var older = (await Grains.GetGrain<IDeviceGrain>(firstSos).ReportEventAsync(Event(firstSos, "1", DeviceEventType.Sos))).AlarmId!.Value;
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var newer = (await Grains.GetGrain<IDeviceGrain>(secondSos).ReportEventAsync(Event(secondSos, "1", DeviceEventType.Sos))).AlarmId!.Value;
        await seat.RenewAsync();

        var replay = await seat.Grain.GetOpenAlarmsAsync();

        Assert.Equal([older, newer, low], replay.Select(n => n.Alarm.Id).Where(id => id == low || id == older || id == newer));
        Assert.Equal(AlarmSeverity.Low, replay.Single(n => n.Alarm.Id == low).Alarm.Severity);
    }

    private IDbContextFactory<ElderIoTDbContext> Contexts =>
        ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();

    private static string UniqueDistrict() => $"南京市/区{Guid.NewGuid():N}";

    private async Task<(Guid ElderId, string WatchId, string[] Phones)> ElderAsync(string district, int contacts)
    {
        var elderId = Guid.NewGuid();
        var phones = Enumerable.Range(0, contacts).Select(_ => $"+86137{Random.Shared.Next(10_000_000, 99_999_999)}").ToArray();
        await Grains.GetGrain<IElderGrain>(elderId).CreateAsync(new ElderProfile(
            "陈玉珍", null, "南京市鼓楼区中山路2号", district, null, new DateOnly(1940, 3, 1),
            Sex.Female, CareLevel.Assisted, [], [], "zh-CN",
            [.. phones.Select((p, i) => new Contact($"家属{i}", "儿子", p, i % 2 == 0 ? "zh-CN" : "en"))]));
        var watch = $"w-{Guid.NewGuid():N}";
        await Grains.GetGrain<IDeviceGrain>(watch).RegisterAsync(DeviceKind.Watch, elderId);
        return (elderId, watch, phones);
    }

    private async Task<string> SensorAsync(Guid elderId)
    {
        var id = $"s-{Guid.NewGuid():N}";
        await Grains.GetGrain<IDeviceGrain>(id).RegisterAsync(DeviceKind.Sensor, elderId);
        return id;
    }

    private static DeviceEvent Event(string deviceId, string id, DeviceEventType type) =>
        new(deviceId, id, type, ClusterFixture.Clock.GetUtcNow(), null);

    private async Task<List<NotificationRecord>> NotificationsAsync(Guid alarmId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Notifications.AsNoTracking().Where(n => n.AlarmId == alarmId).OrderBy(n => n.Step).ToListAsync();
    }

    private async Task<List<AlarmTimelineRecord>> TimelineAsync(Guid alarmId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.AlarmTimeline.AsNoTracking().Where(t => t.AlarmId == alarmId).OrderBy(t => t.Id).ToListAsync();
    }

    private static async Task<SeatAlarmNotice> NoticeAsync(TestSeat seat, Func<SeatAlarmNotice, bool> match) =>
        (await EventuallyAsync(() => Task.FromResult(seat.Notices.FirstOrDefault(match)), n => n is not null))!;

    private static Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition) =>
        Infrastructure.TestNode.EventuallyAsync(probe, condition, "the grains to settle", TimeSpan.FromSeconds(10));
}
