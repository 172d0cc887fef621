using System.Net.Http.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Notifications;
using ElderIoT.Contracts.Seats;
using ElderIoT.DeviceSim;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// Seats that are not there, end to end over HTTP with the SSE reader: a node of its own with a
/// short keep-alive and grace, so that a seat's screen leaving is seen in about a second.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(SeatDutyCollection.Name)]
public sealed class SeatDutyTests(SeatDutyFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task TheStreamSendsAKeepAliveCommentSoProxiesDoNotCutIt()
    {
        var seat = $"seat-{Guid.NewGuid():N}";
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { "南京市/玄武区" } });
        await using var stream = await SeatStreamReader.OpenAsync(Node.Http, seat);

        Assert.Equal(": keep-alive", await stream.NextCommentAsync());
        Assert.Equal(": keep-alive", await stream.NextCommentAsync());
        Assert.Equal(SeatPresence.Watching, (await Node.GetAsync<SeatStatus>($"/api/seats/{seat}")).Presence);
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/offline", new { });
    }

    [Fact]
    public async Task ASeatWhoseScreenIsGoneIsOfferedNothingTheSosGoesToSupervisorsAndEveryContactAndTheSeatSeesItWhenItReturns()
    {
        var seat = $"seat-{Guid.NewGuid():N}";
        var district = $"南京市/测试区{Guid.NewGuid():N}";
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { district } });
        await (await SeatStreamReader.OpenAsync(Node.Http, seat)).DisposeAsync();
        var away = await TestNode.EventuallyAsync(() => Node.GetAsync<SeatStatus>($"/api/seats/{seat}"), s => s.Presence == SeatPresence.Away, "the seat to be away after the grace");
        var (elder, device) = await Node.ElderWithDeviceAsync($"{district}/街道/社区", contacts: 2);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        var ack = await watch.PublishEventAsync(Scenario.SosJson("e-1"));
        var alarm = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm;
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarm.Id}");
        var texts = await Node.GetAsync<List<NotificationResponse>>($"/api/notifications?alarmId={alarm.Id}");
        await using var back = await SeatStreamReader.OpenAsync(Node.Http, seat);
        var (replayed, notice) = await back.NextAsync((e, n) => n.Alarm.Id == alarm.Id);

        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        Assert.True(away.Online);
        Assert.True(alarm.Overdue);
        Assert.DoesNotContain("offered", detail.Timeline.Select(t => t.Type));
        Assert.Contains("no_seat_present", detail.Timeline.Select(t => t.Type));
        Assert.Equal(elder.Contacts.Select(c => c.Phone).Order(), texts.Select(t => t.Recipient).Order());
        Assert.Equal("open", replayed);
        Assert.True(notice.Alarm.Overdue);
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/offline", new { });
    }

    [Fact]
    public async Task DeviceSimsSeatGoesOffDutyWhenTheRunEnds()
    {
        var seat = $"sim-{Guid.NewGuid():N}";
        var options = new SimOptions
        {
            Api = Node.Http.BaseAddress!,
            MqttPort = Node.MqttPort,
            Elders = 1,
            Kind = "watch",
            Scenarios = ["sos"],
            Duration = TimeSpan.FromSeconds(2),
            Seat = seat,
            District = $"南京市/模拟区{Guid.NewGuid():N}",
        };
        // device-sim signs in as an admin acting as its seat: it registers elders and takes their alarms.
        using var http = TestTokens.Client(Node.Http.BaseAddress!, TestTokens.For(Api.Access.AccessRole.Admin, "sim", seatId: seat));

        var exit = await new SimRun(options, new ApiClient(http), new LiveProgress(interactive: false)).RunAsync(CancellationToken.None);
        var status = await Node.GetAsync<SeatStatus>($"/api/seats/{seat}");

        Assert.Equal(0, exit);
        Assert.False(status.Online);
        Assert.Equal(SeatPresence.OffDuty, status.Presence);
    }
}

/// <summary>A node whose seats keep alive every 200 ms and stay present 1 s after their screen left.</summary>
public sealed class SeatDutyFixture : IAsyncLifetime
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Seats:KeepAliveInterval"] = "00:00:00.200",
        ["Seats:ReconnectGrace"] = "00:00:01",
    };

    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await TestNode.StartAsync(Settings);

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SeatDutyCollection : ICollectionFixture<SeatDutyFixture>
{
    public const string Name = "seat-duty";
}

/// <summary>After a restart no seat is there until its screen connects again.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class SeatDutyRestartTests
{
    [Fact]
    public async Task AfterARestartASeatOnDutyIsOfferedNothingUntilItsStreamConnectsAndThenSeesWhatIsOpen()
    {
        var data = RepoPaths.TempDirectory("seat-restart");
        var seat = $"seat-{Guid.NewGuid():N}";
        var district = $"南京市/重启区{Guid.NewGuid():N}";
        (Guid Id, string Secret, string DeviceId) registered;
        await using (var before = await TestNode.StartAsync(SeatDutyFixture.Settings, dataDirectory: data))
        {
            await before.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { district } });
            await using var stream = await SeatStreamReader.OpenAsync(before.Http, seat);
            var (elder, device) = await before.ElderWithDeviceAsync($"{district}/街道/社区", contacts: 1);
            registered = (elder.Id, device.Secret, device.Id);
        }

        await using var after = await TestNode.StartAsync(SeatDutyFixture.Settings, dataDirectory: data);
        var status = await after.GetAsync<SeatStatus>($"/api/seats/{seat}");
        await using var watch = await MqttDevice.ConnectAsync(after.MqttPort, registered.DeviceId, registered.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("after-restart"));
        var alarm = Assert.Single(await after.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={registered.Id}")).Alarm;
        await using var back = await SeatStreamReader.OpenAsync(after.Http, seat);
        var (replayed, _) = await back.NextAsync((e, n) => n.Alarm.Id == alarm.Id);

        Assert.True(status.Online);
        Assert.Equal(SeatPresence.Away, status.Presence);
        Assert.True(alarm.Overdue);
        Assert.Equal("open", replayed);
        Assert.Equal(SeatPresence.Watching, (await after.GetAsync<SeatStatus>($"/api/seats/{seat}")).Presence);
    }
}
