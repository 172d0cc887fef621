using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Contracts.Seats;
using ElderIoT.Grains.Notifications;
using ElderIoT.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Grains;

/// <summary>Grains in a test cluster: escalation with its texts, retries, seat routing.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(ClusterCollection.Name)]
public sealed class AlarmGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task TheFirstStepTextsTheFirstContactAndTheSecondStepTextsEveryContactOnce()
    {
        var (elderId, deviceId, phones) = await ElderWithDeviceAsync(contacts: 3);
        // A seat is there, so the ladder runs its course (with nobody there it would jump to the top).
        await using var seat = await TestSeat.OnDutyAsync(Grains, "南京市/鼓楼区");

        var receipt = await Grains.GetGrain<IDeviceGrain>(deviceId).ReportEventAsync(Sos(deviceId, "1"));
        var alarm = Grains.GetGrain<IAlarmGrain>(receipt.AlarmId!.Value);
        await alarm.AdvanceEscalationAsync();
        var afterFirst = await NotificationsAsync(receipt.AlarmId.Value);

        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(61));
        await seat.RenewAsync();
        await alarm.AdvanceEscalationAsync();
        await alarm.AdvanceEscalationAsync();
        var all = await EventuallySentAsync(receipt.AlarmId.Value, expected: 4);

        Assert.Equal([phones[0]], afterFirst.Select(n => n.Recipient));
        Assert.Equal(phones, all.Where(n => n.Step == 2).Select(n => n.Recipient).Order());
        Assert.All(all, n => Assert.Equal("sent", n.Status));
        Assert.Equal(2, (await alarm.GetAsync())!.EscalationLevel);
    }

    [Fact]
    public async Task TheFirstContactTextedAgainAtTheNextStepGetsATextThatSaysTheAlarmIsStillNotAnswered()
    {
        var (_, deviceId, phones) = await ElderWithDeviceAsync(contacts: 2);
        await using var seat = await TestSeat.OnDutyAsync(Grains, "南京市/鼓楼区");
        var receipt = await Grains.GetGrain<IDeviceGrain>(deviceId).ReportEventAsync(Sos(deviceId, "1"));
        var alarm = Grains.GetGrain<IAlarmGrain>(receipt.AlarmId!.Value);
        await alarm.AdvanceEscalationAsync();

        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(60));
        await seat.RenewAsync();
        await alarm.AdvanceEscalationAsync();
        var all = await EventuallySentAsync(receipt.AlarmId.Value, expected: 3);

        var toFirst = all.Where(n => n.Recipient == phones[0]).OrderBy(n => n.Step).Select(n => n.Body).ToList();
        Assert.Equal(2, toFirst.Count);
        Assert.NotEqual(toFirst[0], toFirst[1]);
        Assert.DoesNotContain("60秒后仍无坐席接警", toFirst[0], StringComparison.Ordinal);
        Assert.Contains("60秒后仍无坐席接警", toFirst[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallWhoseStatusNeverComesIsGivenUpAfterTheAnswerTimeoutAndTheTreeMovesOn()
    {
        // Two calls of one step's tree, as the alarm grain plans them: the first placed, the second waiting.
        var alarmId = Guid.NewGuid();
        var phones = new[] { $"+86139{Random.Shared.Next(10000000, 99999999)}", $"+86139{Random.Shared.Next(10000000, 99999999)}" };
        var now = ClusterFixture.Clock.GetUtcNow();
        var calls = phones.Select((phone, i) => new NotificationRecord
        {
            Id = Guid.NewGuid(), AlarmId = alarmId, Step = 1, Channel = "voice", RecipientName = $"家属{i}", Recipient = phone, Language = "zh-CN",
            Body = "如果您能前往，请按1。", Status = i == 0 ? "pending" : "waiting", Sequence = i, CreatedAt = now, UpdatedAt = now,
        }).ToList();
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            db.Notifications.AddRange(calls);
            await db.SaveChangesAsync();
        }

        await Grains.GetGrain<INotificationGrain>(calls[0].Id).DeliverAsync();
        await EventuallyAsync(async () => (await NotificationsAsync(alarmId)).Single(n => n.Sequence == 0).Status, "sent");
        // Woken before the deadline (as the sweeper may): nothing changes.
        await Grains.GetGrain<INotificationGrain>(calls[0].Id).DeliverAsync();
        Assert.Equal("waiting", (await NotificationsAsync(alarmId)).Single(n => n.Sequence == 1).Status);

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await Grains.GetGrain<INotificationGrain>(calls[0].Id).DeliverAsync();

        var after = await EventuallyAsync(() => NotificationsAsync(alarmId), list => list.Single(n => n.Sequence == 1).Status == "sent");
        var first = after.Single(n => n.Sequence == 0);
        Assert.Equal(("unanswered", "no_callback"), (first.Status, first.ProviderStatus));
        Assert.Equal([phones[0], phones[1]], ClusterFixture.Sms.Calls.Where(c => phones.Contains(c.To)).Select(c => c.To));
    }

    [Fact]
    public async Task ATransientSmsFailureIsRetriedWithBackoffUntilSent()
    {
        var (_, deviceId, phones) = await ElderWithDeviceAsync(contacts: 1);
        ClusterFixture.Sms.Script(phones[0], SendOutcome.TransientFailure, SendOutcome.TransientFailure, SendOutcome.Accepted);

        var receipt = await Grains.GetGrain<IDeviceGrain>(deviceId).ReportEventAsync(Sos(deviceId, "1"));
        await Grains.GetGrain<IAlarmGrain>(receipt.AlarmId!.Value).AdvanceEscalationAsync();
        var notification = Assert.Single(await NotificationsAsync(receipt.AlarmId.Value));
        await EventuallyAsync(() => Task.FromResult(ClusterFixture.Sms.AttemptsTo(phones[0]).Count), 1);

        // Not yet due: delivering again before the backoff has passed sends nothing.
        await Grains.GetGrain<INotificationGrain>(notification.Id).DeliverAsync();
        await Task.Delay(100);
        Assert.Single(ClusterFixture.Sms.AttemptsTo(phones[0]));

        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(5));
        await Grains.GetGrain<INotificationGrain>(notification.Id).DeliverAsync();
        await EventuallyAsync(() => Task.FromResult(ClusterFixture.Sms.AttemptsTo(phones[0]).Count), 2);
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(15));
        await Grains.GetGrain<INotificationGrain>(notification.Id).DeliverAsync();

        var sent = Assert.Single(await EventuallySentAsync(receipt.AlarmId.Value, expected: 1));
        Assert.Equal(3, sent.Attempts);
        Assert.Equal(3, ClusterFixture.Sms.AttemptsTo(phones[0]).Count);
    }

    [Fact]
    public async Task APermanentSmsFailureIsRecordedAsFailedAndNotRetried()
    {
        var (_, deviceId, phones) = await ElderWithDeviceAsync(contacts: 1);
        ClusterFixture.Sms.Script(phones[0], SendOutcome.PermanentFailure);

        var receipt = await Grains.GetGrain<IDeviceGrain>(deviceId).ReportEventAsync(Sos(deviceId, "1"));
        await Grains.GetGrain<IAlarmGrain>(receipt.AlarmId!.Value).AdvanceEscalationAsync();
        var failed = await EventuallyAsync(async () => (await NotificationsAsync(receipt.AlarmId.Value)).Single(), n => n.Status == "failed");

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(10));
        await Grains.GetGrain<INotificationGrain>(failed.Id).DeliverAsync();
        await Task.Delay(100);
        Assert.Single(ClusterFixture.Sms.AttemptsTo(phones[0]));
        Assert.Equal("scripted PermanentFailure", failed.LastError);
    }

    [Fact]
    public async Task ADoorEventIsRecordedWithoutRaisingAnAlarmAndACancelWithoutAnAlarmToo()
    {
        var (elderId, deviceId, _) = await ElderWithDeviceAsync(contacts: 1);
        var device = Grains.GetGrain<IDeviceGrain>(deviceId);

        var door = await device.ReportEventAsync(new DeviceEvent(deviceId, "d1", DeviceEventType.Door, ClusterFixture.Clock.GetUtcNow(), null));
        var cancel = await device.ReportEventAsync(new DeviceEvent(deviceId, "c1", DeviceEventType.SosCancel, ClusterFixture.Clock.GetUtcNow(), null));
        var again = await device.ReportEventAsync(new DeviceEvent(deviceId, "d1", DeviceEventType.Door, ClusterFixture.Clock.GetUtcNow(), null));

        Assert.Null(door.AlarmId);
        Assert.Null(cancel.AlarmId);
        Assert.True(again.Duplicate);
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(2, await db.DeviceEvents.CountAsync(e => e.DeviceId == deviceId));
        Assert.Equal(0, await db.Alarms.CountAsync(a => a.ElderId == elderId));
    }

    [Fact]
    public async Task ADeviceSecretIsCheckedAndNeverStored()
    {
        var (_, deviceId, _) = await ElderWithDeviceAsync(contacts: 0);
        var registration = await Grains.GetGrain<IDeviceGrain>(deviceId + "-2").RegisterAsync(DeviceKind.Handset, await ElderIdOf(deviceId));

        Assert.Equal(DeviceAuthResult.Accepted, await Grains.GetGrain<IDeviceGrain>(registration.Id).AuthenticateAsync(registration.Secret));
        Assert.Equal(DeviceAuthResult.BadSecret, await Grains.GetGrain<IDeviceGrain>(registration.Id).AuthenticateAsync(registration.Secret + "x"));
        Assert.Equal(DeviceAuthResult.UnknownDevice, await Grains.GetGrain<IDeviceGrain>("never-registered").AuthenticateAsync("x"));
        await Assert.ThrowsAsync<DeviceAlreadyRegisteredException>(() => Grains.GetGrain<IDeviceGrain>(registration.Id).RegisterAsync(DeviceKind.Watch, Guid.NewGuid()));
        await using var db = await Contexts.CreateDbContextAsync();
        var stored = await db.Devices.SingleAsync(d => d.Id == registration.Id);
        Assert.DoesNotContain(registration.Secret, stored.SecretHash);
    }

    [Fact]
    public async Task TheLastKnownPositionReachesTheDeviceRecordInTheNextBatch()
    {
        var (_, deviceId, _) = await ElderWithDeviceAsync(contacts: 0);
        var at = ClusterFixture.Clock.GetUtcNow();
        await Grains.GetGrain<IDeviceGrain>(deviceId).ReportTelemetryAsync(
            [new TelemetryReading(at, new GeoPosition(32.07, 118.8, 9), 70, null, null, null, null, 55, true)]);

        var silo = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;
        await silo.GetRequiredService<ElderIoT.Grains.Devices.DeviceSnapshotWriter>().FlushAsync(CancellationToken.None);

        await using var db = await Contexts.CreateDbContextAsync();
        var record = await db.Devices.AsNoTracking().SingleAsync(d => d.Id == deviceId);
        Assert.Equal((32.07, 118.8, 55, at), (record.LastLat, record.LastLon, record.Battery, record.LastPositionAt));
        Assert.Contains(ClusterFixture.Telemetry.Entries, e => e.DeviceId == deviceId);
    }

    [Fact]
    public async Task AnElderWithADeviceOnlineHasTheirGrainReadyBeforeAnyAlarm()
    {
        var (elderId, deviceId, _) = await ElderWithDeviceAsync(contacts: 1);
        var registration = await Grains.GetGrain<IDeviceGrain>(deviceId + "-w").RegisterAsync(DeviceKind.Watch, elderId);
        var management = Grains.GetGrain<IManagementGrain>(0);
        var elder = Grains.GetGrain<IElderGrain>(elderId).GetGrainId();
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.DoesNotContain(elder, await management.GetActiveGrains(elder.Type));

        Assert.Equal(DeviceAuthResult.Accepted, await Grains.GetGrain<IDeviceGrain>(registration.Id).AuthenticateAsync(registration.Secret));

        // The device tells its elder one way; wait for that message, not for a time.
        var active = false;
        for (var attempt = 0; attempt < 100 && !active; attempt++)
        {
            active = (await management.GetActiveGrains(elder.Type)).Contains(elder);
            await Task.Yield();
        }

        Assert.True(active);
    }

    [SqliteOnlyFact]
    public async Task RecordsConnectionsLetSqliteWaitForTheWriteLockItself()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout;";

        Assert.Equal(30_000L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task RegisteringADeviceForAnUnknownElderFails() =>
        await Assert.ThrowsAsync<ElderNotFoundException>(() => Grains.GetGrain<IDeviceGrain>($"x-{Guid.NewGuid():N}").RegisterAsync(DeviceKind.Watch, Guid.NewGuid()));

    private IDbContextFactory<ElderIoTDbContext> Contexts =>
        ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();

    private async Task<Guid> ElderIdOf(string deviceId) => (await Grains.GetGrain<IDeviceGrain>(deviceId).GetStatusAsync())!.ElderId;

    private async Task<(Guid ElderId, string DeviceId, string[] Phones)> ElderWithDeviceAsync(int contacts)
    {
        var elderId = Guid.NewGuid();
        var phones = Enumerable.Range(0, contacts).Select(_ => $"+86139{Random.Shared.Next(10_000_000, 99_999_999)}").Order().ToArray();
        await Grains.GetGrain<IElderGrain>(elderId).CreateAsync(new ElderProfile(
            "张桂兰", null, "南京市鼓楼区北京西路1号", "南京市/鼓楼区/宁海路街道/颐和路社区", null, new DateOnly(1938, 5, 1),
            Sex.Female, CareLevel.Nursing, [], [], "zh-CN",
            [.. phones.Select((p, i) => new Contact($"家属{i}", "女儿", p, i % 2 == 0 ? "zh-CN" : "en"))]));
        var deviceId = $"g-{Guid.NewGuid():N}";
        await Grains.GetGrain<IDeviceGrain>(deviceId).RegisterAsync(DeviceKind.Watch, elderId);
        return (elderId, deviceId, phones);
    }

    private static DeviceEvent Sos(string deviceId, string id) =>
        new(deviceId, id, DeviceEventType.Sos, ClusterFixture.Clock.GetUtcNow(), new GeoPosition(32.06, 118.79, 10));

    private async Task<List<NotificationRecord>> NotificationsAsync(Guid alarmId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Notifications.AsNoTracking().Where(n => n.AlarmId == alarmId).OrderBy(n => n.Step).ToListAsync();
    }

    private async Task<List<NotificationRecord>> EventuallySentAsync(Guid alarmId, int expected) =>
        await EventuallyAsync(() => NotificationsAsync(alarmId), list => list.Count == expected && list.All(n => n.Status != NotificationStatus.Pending.ToSnakeCase()));

    private static Task<T> EventuallyAsync<T>(Func<Task<T>> probe, T expected) =>
        EventuallyAsync(probe, value => EqualityComparer<T>.Default.Equals(value, expected));

    private static Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition) =>
        Infrastructure.TestNode.EventuallyAsync(probe, condition, "the grains to settle", TimeSpan.FromSeconds(10));
}
