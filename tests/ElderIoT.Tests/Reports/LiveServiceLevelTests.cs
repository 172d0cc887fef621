using System.Text.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Reports;
using ElderIoT.Contracts.Seats;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Records;
using ElderIoT.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;

namespace ElderIoT.Tests.Reports;

/// <summary>
/// A node whose domain clock stands still until a test moves it, so that times to acceptance are
/// exact; a short keep-alive, so that the stream renews its watch of the figures every second.
/// </summary>
public sealed class LiveServiceLevelFixture : IAsyncLifetime
{
    /// <summary>10:00 in Shanghai, the centre's default zone.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero));

    public TestNode Node { get; private set; } = null!;

    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public async Task InitializeAsync() => Node = await TestNode.StartAsync(
        new Dictionary<string, string?> { ["Seats:KeepAliveInterval"] = "00:00:01" },
        services => services.AddKeyedSingleton<TimeProvider>(ElderIoTClock.Key, Clock));

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LiveServiceLevelCollection : ICollectionFixture<LiveServiceLevelFixture>
{
    public const string Name = "live-service-level";
}

/// <summary>The seat stream's <c>service_level</c> event: the day's figures of the seat's districts, live.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(LiveServiceLevelCollection.Name)]
public sealed class LiveServiceLevelTests(LiveServiceLevelFixture fixture)
{
    private TestNode Node => fixture.Node;

    private FakeTimeProvider Clock => fixture.Clock;

    private DateOnly Today => CentreDay.Of(Clock.GetUtcNow(), LiveServiceLevelFixture.Zone);

    [Fact]
    public async Task TheFirstFiguresCountTheDaysAlarmsOfTheSeatsDistrictsOnly()
    {
        var district = $"南京市/实时区{Guid.NewGuid():N}";
        var elsewhere = $"南京市/别区{Guid.NewGuid():N}";
        var seat = $"seat-{Guid.NewGuid():N}";
        using var asSeat = Node.AsSeat(seat, district, elsewhere);
        // Yesterday evening, within the last 24 hours but before local midnight: not today's.
        await InsertAsync(district, CentreDay.Start(Today, LiveServiceLevelFixture.Zone).AddMinutes(-30), acceptedAfter: 5);
        var first = await RaiseAsync(district);
        Clock.Advance(TimeSpan.FromSeconds(10));
        await asSeat.PostAsync<AlarmSnapshot>($"/api/alarms/{first}/accept");
        await RaiseAsync(district);
        var other = await RaiseAsync(elsewhere); // another district, taken at once: it would lift the share
        await asSeat.PostAsync<AlarmSnapshot>($"/api/alarms/{other}/accept");
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { district } });

        await using var stream = await SeatStreamReader.OpenAsync(asSeat.Http, seat);
        var live = await stream.NextDataAsync("service_level");

        Assert.Equal(Today.ToString("yyyy-MM-dd"), live.GetProperty("day").GetString());
        Assert.Equal("Asia/Shanghai", live.GetProperty("timeZone").GetString());
        Assert.Equal([district], live.GetProperty("districts").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(Clock.GetUtcNow(), live.GetProperty("computedAt").GetDateTimeOffset());
        var figures = live.GetProperty("figures");
        Assert.Equal(2, figures.GetProperty("alarms").GetInt32());
        Assert.Equal(1, figures.GetProperty("unaccepted").GetInt32());
        Assert.Equal((1, 2, 0.5), Share(figures, "acceptedWithin60Seconds"));
        Assert.Equal(10, figures.GetProperty("timeToAccept").GetProperty("medianSeconds").GetDouble());
        Assert.Equal(2, figures.GetProperty("byKind").GetProperty("sos").GetInt32());
        Assert.Equal(2, figures.GetProperty("byOutcome").GetProperty("open").GetInt32());
    }

    [Fact]
    public async Task ARaiseAnAcceptanceAndAResolutionEachSendNewFiguresOnTheOpenStream()
    {
        var district = $"南京市/实时区{Guid.NewGuid():N}";
        var seat = $"seat-{Guid.NewGuid():N}";
        using var asSeat = Node.AsSeat(seat, district);
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { district } });
        await using var stream = await SeatStreamReader.OpenAsync(asSeat.Http, seat);
        Assert.Equal(0, Figures(await stream.NextDataAsync("service_level")).GetProperty("alarms").GetInt32());

        var alarm = await RaiseAsync(district);
        var raised = Figures(await stream.NextDataAsync("service_level", d => Figures(d).GetProperty("alarms").GetInt32() == 1));
        Clock.Advance(TimeSpan.FromSeconds(30));
        await asSeat.PostAsync<AlarmSnapshot>($"/api/alarms/{alarm}/accept");
        var accepted = Figures(await stream.NextDataAsync("service_level", d => Figures(d).GetProperty("unaccepted").GetInt32() == 0));
        Clock.Advance(TimeSpan.FromSeconds(90));
        await asSeat.PostAsync<AlarmSnapshot>($"/api/alarms/{alarm}/resolve", new { outcome = "false_alarm" });
        var resolved = Figures(await stream.NextDataAsync("service_level", d => Figures(d).GetProperty("timeToResolve").GetProperty("count").GetInt32() == 1));

        Assert.Equal((0, 1, 0.0), Share(raised, "acceptedWithin60Seconds"));
        Assert.Equal((1, 1, 1.0), Share(accepted, "acceptedWithin60Seconds"));
        Assert.Equal(30, accepted.GetProperty("timeToAccept").GetProperty("medianSeconds").GetDouble());
        Assert.Equal(120, resolved.GetProperty("timeToResolve").GetProperty("medianSeconds").GetDouble());
        Assert.Equal(1, resolved.GetProperty("byOutcome").GetProperty("false_alarm").GetInt32());
    }

    [Fact]
    public async Task AnAlarmOfYesterdayTakenTodayLeavesTodaysFiguresAlone()
    {
        var district = $"南京市/实时区{Guid.NewGuid():N}";
        var seat = $"seat-{Guid.NewGuid():N}";
        using var asSeat = Node.AsSeat(seat, district);
        var yesterday = await InsertAsync(district, CentreDay.Start(Today, LiveServiceLevelFixture.Zone).AddMinutes(-5), acceptedAfter: null);
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { district } });
        await using var stream = await SeatStreamReader.OpenAsync(asSeat.Http, seat);
        Assert.Equal(0, Figures(await stream.NextDataAsync("service_level")).GetProperty("alarms").GetInt32());

        await asSeat.PostAsync<AlarmSnapshot>($"/api/alarms/{yesterday}/accept");
        await RaiseAsync(district);
        // Had yesterday's alarm counted, the first figures with an alarm would show it accepted.
        var figures = Figures(await stream.NextDataAsync("service_level", d => Figures(d).GetProperty("alarms").GetInt32() > 0));

        Assert.Equal(1, figures.GetProperty("alarms").GetInt32());
        Assert.Equal((0, 1, 0.0), Share(figures, "acceptedWithin60Seconds"));
    }

    [Fact]
    public async Task AtLocalMidnightTheStreamTurnsToTheNewDayWithItsFiguresEmpty()
    {
        var district = $"南京市/实时区{Guid.NewGuid():N}";
        var seat = $"seat-{Guid.NewGuid():N}";
        using var asSeat = Node.AsSeat(seat, district);
        await RaiseAsync(district);
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { district } });
        await using var stream = await SeatStreamReader.OpenAsync(asSeat.Http, seat);
        var before = await stream.NextDataAsync("service_level");
        var tomorrow = Today.AddDays(1);

        Clock.SetUtcNow(CentreDay.Start(tomorrow, LiveServiceLevelFixture.Zone).AddSeconds(1));
        var after = await stream.NextDataAsync("service_level", d => d.GetProperty("day").GetString() != before.GetProperty("day").GetString());

        Assert.Equal(1, Figures(before).GetProperty("alarms").GetInt32());
        Assert.Equal(tomorrow.ToString("yyyy-MM-dd"), after.GetProperty("day").GetString());
        Assert.Equal(0, Figures(after).GetProperty("alarms").GetInt32());
    }

    private static JsonElement Figures(JsonElement live) => live.GetProperty("figures");

    private static (int Count, int Of, double? Share) Share(JsonElement figures, string name)
    {
        var share = figures.GetProperty(name);
        return (share.GetProperty("count").GetInt32(), share.GetProperty("of").GetInt32(),
            share.GetProperty("share").ValueKind == JsonValueKind.Null ? null : share.GetProperty("share").GetDouble());
    }

    /// <summary>An SOS of a new elder of the district, through a real device; the alarm's id.</summary>
    private async Task<Guid> RaiseAsync(string district)
    {
        var (elder, device) = await Node.ElderWithDeviceAsync($"{district}/街道/社区");
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(Scenario.SosJson("e-1"))).ReasonCode);
        return Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;
    }

    /// <summary>An alarm straight into the records (as a past day left it).</summary>
    private async Task<Guid> InsertAsync(string district, DateTimeOffset raisedAt, double? acceptedAfter)
    {
        var elder = await Node.CreateElderAsync($"{district}/街道/社区");
        var contexts = Node.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var id = Guid.NewGuid();
        db.Alarms.Add(new AlarmRecord
        {
            Id = id,
            ElderId = elder.Id,
            District = $"{district}/街道/社区",
            Kind = "sos",
            Status = acceptedAfter is null ? "open" : "accepted",
            DeviceId = "live-test",
            Sources = ["sos:live-test"],
            RaisedAt = raisedAt,
            LastEventAt = raisedAt,
            LadderStartedAt = raisedAt,
            AcceptedBy = acceptedAfter is null ? null : "seat-live",
            AcceptedAt = acceptedAfter is { } a ? raisedAt.AddSeconds(a) : null,
            UpdatedAt = raisedAt,
        });
        await db.SaveChangesAsync();
        return id;
    }
}

/// <summary>The live figures live in memory, but come from the records: a restart loses none of the day.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class LiveServiceLevelRestartTests
{
    [Fact]
    public async Task AfterARestartTheFirstFiguresAreTheDaysFromTheRecords()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero));
        var dataDirectory = RepoPaths.TempDirectory("live-restart");
        var district = $"南京市/重启区{Guid.NewGuid():N}";
        var seat = $"seat-{Guid.NewGuid():N}";
        await using (var before = await TestNode.StartAsync(services: s => s.AddKeyedSingleton<TimeProvider>(ElderIoTClock.Key, clock), dataDirectory: dataDirectory))
        {
            var (elder, device) = await before.ElderWithDeviceAsync($"{district}/街道");
            await using (var watch = await MqttDevice.ConnectAsync(before.MqttPort, device.Id, device.Secret))
            {
                Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(Scenario.SosJson("e-1"))).ReasonCode);
            }

            var alarm = Assert.Single(await before.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm;
            clock.Advance(TimeSpan.FromSeconds(20));
            using var asSeat = before.AsSeat(seat, district);
            await asSeat.PostAsync<AlarmSnapshot>($"/api/alarms/{alarm.Id}/accept");
        }

        await using var after = await TestNode.StartAsync(services: s => s.AddKeyedSingleton<TimeProvider>(ElderIoTClock.Key, clock), dataDirectory: dataDirectory);
        using var seatAfter = after.AsSeat(seat, district);
        await after.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { district } });
        await using var stream = await SeatStreamReader.OpenAsync(seatAfter.Http, seat);
        var figures = (await stream.NextDataAsync("service_level")).GetProperty("figures");

        Assert.Equal(1, figures.GetProperty("alarms").GetInt32());
        Assert.Equal(1, figures.GetProperty("acceptedWithin60Seconds").GetProperty("count").GetInt32());
        Assert.Equal(20, figures.GetProperty("timeToAccept").GetProperty("medianSeconds").GetDouble());
    }
}

/// <summary>The live figures are never the alarm's problem: when they cannot be told, the alarm goes its way and the failure is logged.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class LiveServiceLevelFailureTests
{
    [Fact]
    public async Task WhenTheLiveFiguresCannotBeToldTheSosIsAcknowledgedOfferedAndAcceptedAsEver()
    {
        await using var node = await TestNode.StartAsync(services: s => s.AddSingleton<IOutgoingGrainCallFilter, LiveFiguresDown>());
        var district = $"南京市/故障区{Guid.NewGuid():N}";
        var seat = $"seat-{Guid.NewGuid():N}";
        using var asSeat = node.AsSeat(seat, district);
        await node.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { district } });
        await using var stream = await SeatStreamReader.OpenAsync(asSeat.Http, seat);
        var (elder, device) = await node.ElderWithDeviceAsync($"{district}/街道");
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);

        var ack = await watch.PublishEventAsync(Scenario.SosJson("e-1"));
        var (_, offered) = await stream.NextAsync((e, n) => e == "offered" && n.Alarm.ElderId == elder.Id);
        var accepted = await asSeat.PostAsync<AlarmSnapshot>($"/api/alarms/{offered.Alarm.Id}/accept");

        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        Assert.Equal(AlarmStatus.Accepted, accepted.Status);
        await TestNode.EventuallyAsync(() => Task.FromResult(node.Logs.Entries.Count(e => e.EventId.Id == 4203)), n => n >= 2, "the raise's and the acceptance's failures to be logged");
    }

    /// <summary>Every call to the live figures' grain fails, as if its node were unreachable.</summary>
    private sealed class LiveFiguresDown : IOutgoingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context) =>
            context.InterfaceMethod?.DeclaringType == typeof(ILiveServiceLevelGrain)
                ? throw new InvalidOperationException("the live figures are unreachable")
                : context.Invoke();
    }
}
