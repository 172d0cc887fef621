using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ElderIoT.Api.Access;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Seats;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ElderIoT.Tests.SeatConsole;

/// <summary>
/// The dispatch console in a real browser (Debian's Chromium, headless) against a real node, with a
/// real MQTT device pressing SOS: what a seat sees and does, through the console's own screen.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleBrowserTests(ConsoleFixture fixture) : IAsyncLifetime
{
    private readonly List<IPage> _pages = [];
    private readonly List<string> _seats = [];

    private const string Password = "console-test-password-2026";

    private static readonly LocatorAssertionsToBeVisibleOptions WithinSeconds = new() { Timeout = 10_000 };

    private TestNode Node => fixture.Node;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Whatever a test did, its screens close, its seats go off duty and its alarms are closed: the next test starts with none.</summary>
    public async Task DisposeAsync()
    {
        foreach (var page in _pages)
        {
            await page.Context.CloseAsync();
        }

        foreach (var seat in _seats)
        {
            await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/offline", new { });
        }

        await CloseEveryAlarmAsync();
    }

    [Fact]
    public async Task ASeatSeesTheSosWithinSecondsWorksItFromTheCardAndItLeavesTheQueueWhileASecondSeatSeesItTaken()
    {
        var district = $"南京市/鼓楼区{Suffix()}";
        var (elder, device) = await ElderWithWatchAsync("王秀英", district);
        // A volunteer about 300 m away: nearest responders are bounded in distance, so this one is on the card.
        var volunteer = $"v-{Suffix()}";
        await Node.PostAsync<object>("/api/responders", new { id = volunteer, name = "社区志愿者 陈刚", kind = "volunteer", phone = "+8613700000001", home = new { lat = 32.0625, lon = 118.7990 }, available = true });
        var seatA = $"seat-a-{Suffix()}";
        var seatB = $"seat-b-{Suffix()}";
        var pageA = await SignInOnDutyAsync(seatA, district);
        var pageB = await SignInOnDutyAsync(seatB, district);

        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await SendTrackAsync(watch);
        Assert.True((await watch.PublishEventAsync(Scenario.SosJson("console-1"))).IsSuccess);

        // The queue: the elder's SOS, critical, within seconds, with a beep.
        var rowA = pageA.Locator("[data-testid=queue] [data-testid=alarm]", new() { HasText = elder.Name });
        await Expect(rowA).ToBeVisibleAsync(WithinSeconds);
        await Expect(rowA).ToHaveAttributeAsync("data-severity", "critical");
        await Expect(pageA.Locator("body")).ToHaveAttributeAsync("data-last-beep", new Regex(@"^\d+$"));
        var alarmId = Guid.Parse((await rowA.GetAttributeAsync("data-alarm-id"))!);
        await Expect(pageB.Locator($"[data-testid=queue] [data-alarm-id='{alarmId}']")).ToBeVisibleAsync(WithinSeconds);

        // The card: record, contacts in order with tel: links and what each was sent, the position on the map.
        await rowA.ClickAsync();
        var card = pageA.Locator("[data-testid=card]");
        await Expect(card.Locator("[data-testid=card-elder-name]")).ToHaveTextAsync(elder.Name);
        await Expect(card.Locator("[data-testid=profile]")).ToContainTextAsync(elder.Address);
        await Expect(card.Locator("[data-testid=profile]")).ToContainTextAsync("介助");
        await Expect(card.Locator("[data-testid=profile]")).ToContainTextAsync("高血压");
        await Expect(card.Locator("[data-testid=profile]")).ToContainTextAsync("氨氯地平");
        var contacts = card.Locator("[data-testid=contacts] > li");
        await Expect(contacts).ToHaveCountAsync(elder.Contacts.Count);
        for (var i = 0; i < elder.Contacts.Count; i++)
        {
            await Expect(contacts.Nth(i)).ToContainTextAsync(elder.Contacts[i].Name);
            await Expect(contacts.Nth(i).Locator("a.tel")).ToHaveAttributeAsync("href", $"tel:{elder.Contacts[i].Phone}");
        }

        // The first contact is texted at once (step 0): its status comes from /api/notifications.
        await Expect(contacts.Nth(0).Locator("[data-testid=notification-status]")).ToContainTextAsync(new Regex("已发送|已送达|待发送"), new() { Timeout = 10_000 });
        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
        var known = detail.Elder.LastKnownPosition!.Position;
        var position = card.Locator("[data-testid=map] [data-testid=position]");
        await Expect(position).ToBeVisibleAsync();
        Assert.Equal(known.Lat, double.Parse((await position.GetAttributeAsync("data-lat"))!, CultureInfo.InvariantCulture), 6);
        Assert.Equal(known.Lon, double.Parse((await position.GetAttributeAsync("data-lon"))!, CultureInfo.InvariantCulture), 6);
        await Expect(card.Locator("[data-testid=map] [data-testid=accuracy]")).ToBeVisibleAsync();
        await Expect(card.Locator("[data-testid=map] [data-testid=home]")).ToBeVisibleAsync();
        await Expect(card.Locator("[data-testid=map] [data-testid=track]")).ToBeVisibleAsync();
        await Expect(card.Locator("[data-testid=map] [data-testid=zone]")).ToHaveCountAsync(1);
        // The tile server cannot be reached: the map says so and still shows all of the above.
        await Expect(card.Locator(".map-notice")).ToHaveTextAsync("底图不可用,仅显示位置与围栏");
        await Expect(card.Locator("[data-testid=responders]")).ToContainTextAsync("社区志愿者 陈刚");
        await Expect(card.Locator("[data-testid=responders] a.tel").First).ToHaveAttributeAsync("href", "tel:+8613700000001");
        await Expect(card.Locator("[data-testid=map] [data-testid=responder]").First).ToBeVisibleAsync();
        await Expect(card.Locator("[data-testid=chart-hr] .chart-dot").First).ToBeVisibleAsync(WithinSeconds);

        // Accept: the second seat sees it taken, by whom.
        await card.Locator("[data-testid=accept]").ClickAsync();
        await Expect(card.Locator("[data-testid=card-status]")).ToHaveTextAsync("处理中");
        await Expect(pageA.Locator($"[data-testid=mine] [data-alarm-id='{alarmId}']")).ToBeVisibleAsync();
        await Expect(pageB.Locator($"[data-alarm-id='{alarmId}'] [data-testid=taken-by]")).ToContainTextAsync(seatA, new() { Timeout = 10_000 });
        await ScreenshotAsync(pageA, "console-card.png");

        // Resolve with an outcome and a note: it leaves both screens, and the record says how it ended.
        await card.Locator("[data-testid=outcome]").SelectOptionAsync("false_alarm");
        await card.Locator("[data-testid=notes]").FillAsync("老人误按,已电话确认平安");
        await card.Locator("[data-testid=resolve]").ClickAsync();
        await Expect(card.Locator("[data-testid=card-status]")).ToHaveTextAsync("已结案");
        await Expect(pageA.Locator($"[data-alarm-id='{alarmId}']")).ToHaveCountAsync(0);
        await Expect(pageB.Locator($"[data-alarm-id='{alarmId}']")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        var resolved = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
        Assert.Equal(AlarmStatus.Resolved, resolved.Alarm.Status);
        Assert.Equal(AlarmOutcome.FalseAlarm, resolved.Alarm.Outcome);
        Assert.Equal("老人误按,已电话确认平安", resolved.Alarm.Notes);
        Assert.Equal(seatA, resolved.Alarm.AcceptedBy);

        await GoOffDutyAsync(pageA);
        await GoOffDutyAsync(pageB);
    }

    /// <summary>
    /// The stream's <c>outage</c> event (OutageNoticeTests has the node send it) stands above the queue while
    /// it lasts: a seat that sees devices go silent knows why.
    /// </summary>
    [Fact]
    public async Task AMassOutageOfTheSeatsDistrictStandsAboveTheQueueUntilItIsCleared()
    {
        var district = $"南京市/秦淮区{Suffix()}";
        var page = await SignInOnDutyAsync($"seat-o-{Suffix()}", district);
        var outageId = Guid.NewGuid();
        var banners = page.Locator("[data-testid=outages] [data-testid=outage]");

        await page.EvaluateAsync($$"""
            () => window.elderIoTConsole.notice('outage', { change: 'declared', outageId: '{{outageId}}', district: '{{district}}',
              silentDevices: 37, peak: 37, since: new Date(Date.now() - 120000).toISOString(), endedAt: null })
            """);

        await Expect(banners).ToHaveCountAsync(1);
        await Expect(banners.First).ToContainTextAsync(district);
        await Expect(banners.First).ToContainTextAsync("37");
        await Expect(banners.First).ToContainTextAsync("大面积设备失联");

        await page.EvaluateAsync($$"""
            () => window.elderIoTConsole.notice('outage', { change: 'cleared', outageId: '{{outageId}}', district: '{{district}}',
              silentDevices: 0, peak: 37, since: new Date(Date.now() - 180000).toISOString(), endedAt: new Date().toISOString() })
            """);

        await Expect(banners).ToHaveCountAsync(0);
        await GoOffDutyAsync(page);
    }

    [Fact]
    public async Task TheQueueIsCriticalFirstThenOldestAndTheKeyATakesTheTopAlarm()
    {
        var district = $"南京市/玄武区{Suffix()}";
        var seat = $"seat-k-{Suffix()}";
        var page = await SignInOnDutyAsync(seat, district);
        var (water, sensor) = await ElderWithWatchAsync("赵淑珍", district, kind: "sensor");
        var (first, firstWatch) = await ElderWithWatchAsync("钱国华", district);
        var (second, secondWatch) = await ElderWithWatchAsync("孙玉兰", district);

        // A high-severity water leak first, then two SOS: both SOS go above it, the older first.
        await RaiseAsync(sensor, "water");
        var rows = page.Locator("[data-testid=queue] [data-testid=alarm]");
        await Expect(rows).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        await RaiseAsync(firstWatch, "sos");
        await Expect(rows).ToHaveCountAsync(2, new() { Timeout = 10_000 });
        await RaiseAsync(secondWatch, "sos");
        await Expect(rows).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        await Expect(rows.Nth(0)).ToContainTextAsync(first.Name);
        await Expect(rows.Nth(1)).ToContainTextAsync(second.Name);
        await Expect(rows.Nth(2)).ToContainTextAsync(water.Name);
        await Expect(rows.Nth(2)).ToHaveAttributeAsync("data-severity", "high");
        await ScreenshotAsync(page, "console-queue.png");

        await page.Keyboard.PressAsync("a");

        await Expect(page.Locator("[data-testid=card] [data-testid=card-elder-name]")).ToHaveTextAsync(first.Name);
        await Expect(page.Locator("[data-testid=card] [data-testid=card-status]")).ToHaveTextAsync("处理中");
        var taken = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={first.Id}")).Alarm;
        Assert.Equal(seat, taken.AcceptedBy);
        await Expect(rows.Nth(0)).ToContainTextAsync(second.Name);

        // Esc closes the card; N writes a note once a card of one's own is open again.
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("[data-testid=card]")).ToHaveCountAsync(0);
        await GoOffDutyAsync(page);
    }

    [Fact]
    public async Task TheSupervisorSeesOverdueAlarmsTheSeatsOnDutyAndTheDaysFigures()
    {
        var lonely = await OverdueSosAsync();
        var district = $"南京市/秦淮区{Suffix()}";
        var seat = $"seat-s-{Suffix()}";
        var seatPage = await SignInOnDutyAsync(seat, district);
        var (elder, device) = await ElderWithWatchAsync("周桂英", district);
        await RaiseAsync(device, "sos");
        await Expect(seatPage.Locator("[data-testid=queue] [data-testid=alarm]", new() { HasText = elder.Name })).ToBeVisibleAsync(WithinSeconds);

        var lead = $"lead-{Suffix()}";
        await CreateUserAsync(lead, "supervisor");
        var page = await fixture.OpenConsoleAsync();
        _pages.Add(page);
        await SignInAsync(page, lead);

        var view = page.Locator("[data-testid=supervisor]");
        await Expect(view.Locator("[data-testid=seats]")).ToContainTextAsync(seat);
        await Expect(view.Locator("[data-testid=seats]")).ToContainTextAsync(district);
        await Expect(view.Locator("[data-testid=open-alarms]")).ToContainTextAsync(elder.Name);
        await Expect(view.Locator("[data-testid=overdue-alarms]")).ToContainTextAsync(lonely.Name);
        var raised = int.Parse(await view.Locator("[data-testid=figure-raised] .figure-value").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.True(raised >= 2, $"raised today: {raised}");
        await ScreenshotAsync(page, "console-supervisor.png");

        await GoOffDutyAsync(seatPage);
    }

    [Fact]
    public async Task ANoteOnTheCardIsOnTheTimelineAtOnceAndOnASecondSeatsOpenCardThroughTheStream()
    {
        var district = $"南京市/建邺区{Suffix()}";
        var (elder, device) = await ElderWithWatchAsync("冯玉梅", district);
        var seatA = $"seat-n-{Suffix()}";
        var seatB = $"seat-m-{Suffix()}";
        var pageA = await SignInOnDutyAsync(seatA, district);
        var pageB = await SignInOnDutyAsync(seatB, district);
        await RaiseAsync(device, "sos");
        var rowA = pageA.Locator("[data-testid=queue] [data-testid=alarm]", new() { HasText = elder.Name });
        await Expect(rowA).ToBeVisibleAsync(WithinSeconds);
        var alarmId = Guid.Parse((await rowA.GetAttributeAsync("data-alarm-id"))!);
        await rowA.ClickAsync();
        var cardA = pageA.Locator("[data-testid=card]");
        await cardA.Locator("[data-testid=accept]").ClickAsync();
        await Expect(cardA.Locator("[data-testid=card-status]")).ToHaveTextAsync("处理中");
        // The second seat opens the card of the alarm the first one took, and keeps it open.
        await pageB.GotoAsync($"/console/#/alarm/{alarmId}");
        var cardB = pageB.Locator("[data-testid=card]");
        await Expect(cardB.Locator("[data-testid=card-status]")).ToHaveTextAsync("处理中");
        var noticesBefore = int.Parse(await cardB.GetAttributeAsync("data-notices") ?? "0", CultureInfo.InvariantCulture);

        const string Note = "已联系女儿,10 分钟到家";
        await cardA.Locator("[data-testid=note-text]").FillAsync(Note);
        await cardA.Locator("[data-testid=add-note]").ClickAsync();

        var noteA = cardA.Locator("[data-testid=timeline] li[data-type=note_added]");
        await Expect(noteA).ToContainTextAsync(Note);
        await Expect(noteA).ToContainTextAsync($"seat:{seatA}");
        await Expect(cardA.Locator("[data-testid=note-text]")).ToHaveValueAsync("");
        var noteB = cardB.Locator("[data-testid=timeline] li[data-type=note_added]");
        await Expect(noteB).ToContainTextAsync(Note, new() { Timeout = 10_000 });
        // It came by the stream (the card counts the notices of its alarm), not only by the card's own refresh.
        await Expect(cardB).ToHaveAttributeAsync("data-last-notice", "note_added");
        Assert.True(int.Parse((await cardB.GetAttributeAsync("data-notices"))!, CultureInfo.InvariantCulture) > noticesBefore);
        var stored = Assert.Single((await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}")).Timeline, e => e.Type == "note_added");
        Assert.Equal(Note, stored.Detail);
        Assert.Equal($"seat:{seatA}", stored.Actor);
        // Still open: the note went on the alarm before any resolution.
        Assert.Equal(AlarmStatus.Accepted, (await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}")).Alarm.Status);
        await noteA.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(pageA, "console-notes.png");

        await GoOffDutyAsync(pageA);
        await GoOffDutyAsync(pageB);
    }

    [Fact]
    public async Task ResolvingARealEmergencyPutsACallBackOnTheListAndRecordingReachedTakesItOff()
    {
        var district = $"南京市/雨花台区{Suffix()}";
        var seat = $"seat-c-{Suffix()}";
        var page = await SignInOnDutyAsync(seat, district);
        var (unreached, unreachedWatch) = await ElderWithWatchAsync("何秀珍", district);
        var (elder, device) = await ElderWithWatchAsync("蒋德明", district);

        // Nobody reached the first: a call-back, overdue once Callbacks:DueWithin (the fixture's 15 s) has passed.
        var earlier = await WorkOnCardAsync(page, unreachedWatch, unreached.Name, "no_contact");
        await TestNode.EventuallyAsync(() => Node.GetAsync<List<JsonElement>>("/api/callbacks?overdue=true&district=" + Uri.EscapeDataString(district)),
            list => list.Any(c => c.GetProperty("alarmId").GetGuid() == earlier), "the first call-back to fall overdue", TimeSpan.FromSeconds(40));
        var alarmId = await WorkOnCardAsync(page, device, elder.Name, "real_emergency");

        await page.Locator("[data-testid=nav-callbacks]").ClickAsync();
        var list = page.Locator("[data-testid=callbacks]");
        var row = list.Locator($"[data-testid=callback][data-alarm-id='{alarmId}']");
        await Expect(row).ToBeVisibleAsync(WithinSeconds);
        await Expect(row).ToContainTextAsync(elder.Name);
        await Expect(row.Locator("a.tel")).ToHaveAttributeAsync("href", $"tel:{elder.Phone}");
        var overdueRow = list.Locator($"[data-testid=callback][data-alarm-id='{earlier}']");
        await Expect(overdueRow).ToHaveAttributeAsync("data-overdue", "true");
        await Expect(overdueRow.Locator(".badge.overdue")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "console-callbacks.png");

        await row.Locator("[data-testid=callback-result]").SelectOptionAsync("reached_well");
        await row.Locator("[data-testid=callback-notes]").FillAsync("老人已出院,状态良好");
        await row.Locator("[data-testid=record-callback]").ClickAsync();

        await Expect(row).ToHaveCountAsync(0);
        await Expect(overdueRow).ToBeVisibleAsync();
        var done = Assert.Single(await Node.GetAsync<List<JsonElement>>("/api/callbacks?status=done&district=" + Uri.EscapeDataString(district)));
        Assert.Equal(alarmId, done.GetProperty("alarmId").GetGuid());
        Assert.Equal("reached_well", done.GetProperty("result").GetString());
        Assert.Equal("老人已出院,状态良好", done.GetProperty("notes").GetString());
        Assert.Equal(seat, done.GetProperty("completedBy").GetString());
        // Leave no pending call-back to the next test.
        await row.Page.Locator($"[data-testid=callback][data-alarm-id='{earlier}'] [data-testid=record-callback]").ClickAsync();
        await Expect(overdueRow).ToHaveCountAsync(0);
        await GoOffDutyAsync(page);
    }

    [Fact]
    public async Task TheSupervisorsDayFiguresAreTheServiceLevelReportOfTheCentresDay()
    {
        var district = $"南京市/六合区{Suffix()}";
        var seat = $"seat-f-{Suffix()}";
        var seatPage = await SignInOnDutyAsync(seat, district);
        var (elder, device) = await ElderWithWatchAsync("韩淑英", district);
        var (other, otherDevice) = await ElderWithWatchAsync("曹玉珍", district);
        var taken = await WorkOnCardAsync(seatPage, device, elder.Name, outcome: null);
        await RaiseAsync(otherDevice, "sos");
        await Expect(seatPage.Locator("[data-testid=queue] [data-testid=alarm]", new() { HasText = other.Name })).ToBeVisibleAsync(WithinSeconds);

        var lead = $"lead-f-{Suffix()}";
        await CreateUserAsync(lead, "supervisor");
        var page = await fixture.OpenConsoleAsync();
        _pages.Add(page);
        await SignInAsync(page, lead);
        var view = page.Locator("[data-testid=supervisor]");
        await Expect(view.Locator("[data-testid=open-alarms]")).ToContainTextAsync(other.Name);

        // The day as the centre counts it: no from, so from local midnight of the centre's zone.
        var report = await Node.GetAsync<JsonElement>("/api/reports/service-level");
        var overall = report.GetProperty("overall");
        Assert.True(overall.GetProperty("timeToAccept").GetProperty("count").GetInt32() >= 1, $"alarm {taken} was accepted");
        async Task FigureIs(string id, JsonElement value) =>
            await Expect(view.Locator($"[data-testid={id}]")).ToHaveAttributeAsync("data-value",
                value.ValueKind == JsonValueKind.Null ? "" : value.GetRawText());
        await FigureIs("figure-raised", overall.GetProperty("alarms"));
        await FigureIs("figure-unaccepted", overall.GetProperty("unaccepted"));
        await FigureIs("figure-within60", overall.GetProperty("acceptedWithin60Seconds").GetProperty("share"));
        await FigureIs("figure-within180", overall.GetProperty("acceptedWithin180Seconds").GetProperty("share"));
        await FigureIs("figure-median", overall.GetProperty("timeToAccept").GetProperty("medianSeconds"));
        await FigureIs("figure-p90", overall.GetProperty("timeToAccept").GetProperty("p90Seconds"));
        await FigureIs("figure-resolve-median", overall.GetProperty("timeToResolve").GetProperty("medianSeconds"));
        await Expect(view.Locator("[data-testid=figures]")).ToHaveAttributeAsync("data-day", DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        // The seat stream's live figures, when the node sends them, take the place of the report's.
        await page.EvaluateAsync("""
            () => window.elderIoTConsole.notice('service_level', {
              day: document.querySelector('[data-testid=figures]').dataset.day, timeZone: 'Asia/Shanghai', districts: [],
              computedAt: new Date(Date.now() + 60000).toISOString(),
              figures: { alarms: 4242, unaccepted: 1, acceptedWithin60Seconds: { count: 1, of: 2, share: 0.5 },
                acceptedWithin180Seconds: { count: 2, of: 2, share: 1 }, timeToAccept: { count: 2, medianSeconds: 30, p90Seconds: 50 },
                timeToResolve: { count: 0, medianSeconds: null, p90Seconds: null }, byOutcome: {}, byKind: {} } })
            """);
        await Expect(view.Locator("[data-testid=figure-raised]")).ToHaveAttributeAsync("data-value", "4242");
        await Expect(view.Locator("[data-testid=figure-within60] .figure-value")).ToHaveTextAsync("50%");
        await GoOffDutyAsync(seatPage);
    }

    [Fact]
    public async Task EnglishIsOneClickAwayAndTimesReadOnTheCentresClock()
    {
        var seat = $"seat-e-{Suffix()}";
        var page = await fixture.OpenConsoleAsync();
        _pages.Add(page);
        await page.Locator("[data-testid=language]").ClickAsync();
        await Expect(page.Locator("[data-testid=signin] button[type=submit]")).ToHaveTextAsync("Sign in");
        await CreateUserAsync(seat, "seat", seatId: seat, districts: ["南京市/江宁区"]);
        await SignInAsync(page, seat);
        await Expect(page.Locator("[data-testid=go-on-duty]")).ToHaveTextAsync("Go on duty");
        await Expect(page.Locator("[data-testid=api-reference]")).ToHaveAttributeAsync("href", "/api/reference");

        // The browser is in London; the centre's clock (GET /api/centre) is Shanghai's.
        var shanghai = await page.EvaluateAsync<string>("() => import('/console/js/format.js').then(f => f.time('2026-01-01T00:00:00Z'))");
        Assert.Equal("08:00:00", shanghai);
    }

    [Fact]
    public async Task MarkupInAnElderRecordIsShownAsTextAndNeverRuns()
    {
        var district = $"南京市/栖霞区{Suffix()}";
        var seat = $"seat-x-{Suffix()}";
        var page = await SignInOnDutyAsync(seat, district);
        const string Name = "<img src=x onerror=\"document.body.dataset.pwned=1\">";
        var (_, device) = await ElderWithWatchAsync(Name, district);

        await RaiseAsync(device, "sos");
        var row = page.Locator("[data-testid=queue] [data-testid=alarm]", new() { HasText = Name });
        await Expect(row).ToBeVisibleAsync(WithinSeconds);
        await row.ClickAsync();
        await Expect(page.Locator("[data-testid=card-elder-name]")).ToHaveTextAsync(Name);

        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Null(await page.Locator("body").GetAttributeAsync("data-pwned"));
        await GoOffDutyAsync(page);
    }

    [Fact]
    public async Task AFamilyMemberSeesTheirElderOnlyAsFarAsConsentAllows()
    {
        var district = $"南京市/浦口区{Suffix()}";
        var (elder, device) = await ElderWithWatchAsync("郑桂芳", district);
        await using (var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret))
        {
            await SendTrackAsync(watch);
        }

        await TestNode.EventuallyAsync(() => Node.GetAsync<DeviceStatus>($"/api/devices/{device.Id}"), d => d.LastPosition is not null, "the watch's position");
        using (var consent = await Node.Http.PutAsJsonAsync($"/api/elders/{elder.Id}/consent", new { shareLocationWithFamily = true, shareHealthWithFamily = false }))
        {
            consent.EnsureSuccessStatusCode();
        }

        var son = $"family-{Suffix()}";
        await CreateUserAsync(son, "family", elderId: elder.Id);
        var page = await fixture.OpenConsoleAsync();
        _pages.Add(page);
        await SignInAsync(page, son);

        var view = page.Locator("[data-testid=family]");
        await Expect(view).ToContainTextAsync(elder.Name);
        await Expect(view.Locator("[data-testid=map] [data-testid=position]")).ToBeVisibleAsync();
        await Expect(view.Locator("[data-testid=family-heart-rate] [data-testid=withheld]")).ToBeVisibleAsync();
        await Expect(view).Not.ToContainTextAsync("75"); // the heart rate the watch sent
        await Expect(page.Locator("[data-testid=queue]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=go-on-duty]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=nav-supervisor]")).ToHaveCountAsync(0);
    }

    private async Task<IPage> SignInOnDutyAsync(string seat, string district)
    {
        await CreateUserAsync(seat, "seat", seatId: seat, districts: [district]);
        var page = await fixture.OpenConsoleAsync();
        _pages.Add(page);
        _seats.Add(seat);
        await SignInAsync(page, seat);
        await page.Locator("[data-testid=districts]").FillAsync(district);
        await page.Locator("[data-testid=go-on-duty]").ClickAsync();
        await Expect(page.Locator("[data-testid=duty-state]")).ToHaveClassAsync(new Regex(@"\bon\b"));
        await Expect(page.Locator("[data-testid=stream-state]")).ToHaveClassAsync(new Regex("connected"));
        // Present means offered: wait until the node counts the screen, not until the page looks ready.
        await TestNode.EventuallyAsync(() => Node.GetAsync<SeatStatus>($"/api/seats/{seat}"), s => s.Presence == SeatPresence.Watching, $"{seat} watching");
        return page;
    }

    /// <summary>
    /// Raises an SOS, opens its card from the queue and accepts it; with an outcome, resolves it too.
    /// Returns the alarm's id.
    /// </summary>
    private async Task<Guid> WorkOnCardAsync(IPage page, DeviceRegistration device, string elderName, string? outcome)
    {
        await RaiseAsync(device, "sos");
        var row = page.Locator("[data-testid=queue] [data-testid=alarm]", new() { HasText = elderName });
        await Expect(row).ToBeVisibleAsync(WithinSeconds);
        var alarmId = Guid.Parse((await row.GetAttributeAsync("data-alarm-id"))!);
        await row.ClickAsync();
        var card = page.Locator("[data-testid=card]");
        await Expect(card.Locator("[data-testid=card-elder-name]")).ToHaveTextAsync(elderName);
        await card.Locator("[data-testid=accept]").ClickAsync();
        await Expect(card.Locator("[data-testid=card-status]")).ToHaveTextAsync("处理中");
        if (outcome is not null)
        {
            await card.Locator("[data-testid=outcome]").SelectOptionAsync(outcome);
            await card.Locator("[data-testid=resolve]").ClickAsync();
            await Expect(card.Locator("[data-testid=card-status]")).ToHaveTextAsync("已结案");
        }

        return alarmId;
    }

    /// <summary>A user of the node's own user store, as an admin makes them (POST /api/users).</summary>
    private async Task CreateUserAsync(string userName, string role, string? seatId = null, string[]? districts = null, Guid? elderId = null) =>
        await Node.PostAsync<JsonElement>("/api/users", new { userName, password = Password, role, seatId, districts = districts ?? [], elderId });

    /// <summary>Signs in through the console's own form, with user name and password (the node has POST /api/auth/token).</summary>
    private static async Task SignInAsync(IPage page, string userName)
    {
        await page.Locator("[data-testid=signin] input[name=user]").FillAsync(userName);
        await page.Locator("[data-testid=signin] input[name=password]").FillAsync(Password);
        await page.Locator("[data-testid=signin] button[type=submit]").ClickAsync();
    }

    private static async Task GoOffDutyAsync(IPage page)
    {
        await page.Locator("[data-testid=go-off-duty]").ClickAsync();
        await Expect(page.Locator("[data-testid=duty-state]")).ToHaveClassAsync(new Regex(@"\boff\b"));
    }

    private async Task<(ElderResponse Elder, DeviceRegistration Device)> ElderWithWatchAsync(string name, string district, string kind = "watch")
    {
        var body = Scenario.ElderBody(name: name, district: $"{district}/街道/社区", contacts: 3);
        var elder = await Node.PostAsync<ElderResponse>("/api/elders", body);
        using var zone = await Node.Http.PostAsync($"/api/elders/{elder.Id}/geofences", new StringContent(
            """{"type":"Feature","geometry":{"type":"Point","coordinates":[118.7969,32.0603]},"properties":{"kind":"safe","radius":300,"name":"家附近"}}""",
            System.Text.Encoding.UTF8, "application/json"));
        zone.EnsureSuccessStatusCode();
        return (elder, await Node.RegisterDeviceAsync(elder.Id, kind));
    }

    /// <summary>An SOS raised while no seat is present: the whole ladder at once, overdue for supervisors.</summary>
    private async Task<ElderResponse> OverdueSosAsync()
    {
        await TestNode.EventuallyAsync(() => Node.GetAsync<List<SeatStatus>>("/api/seats"), seats => seats.Count == 0, "no seat present", TimeSpan.FromSeconds(45));
        var (elder, device) = await ElderWithWatchAsync("吴秀兰", $"南京市/无人区{Suffix()}");
        await RaiseAsync(device, "sos");
        await TestNode.EventuallyAsync(() => Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"), l => l.Count == 1 && l[0].Alarm.Overdue, "the overdue alarm");
        return elder;
    }

    /// <summary>A test's alarms would be offered to the next test's seats (none serves their district): close them.</summary>
    private async Task CloseEveryAlarmAsync()
    {
        foreach (var status in new[] { "open", "accepted" })
        {
            foreach (var item in await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?status={status}&limit=1000"))
            {
                // Accepting and resolving are done in a seat's name; every test district is under 南京市.
                // A user of its own: the console's users hold narrower districts, and a token granting a
                // user more than their row says is refused.
                var seatId = item.Alarm.AcceptedBy ?? "cleanup";
                var seat = Node.As(TestTokens.For(AccessRole.Seat, $"cleanup-{seatId}", seatId: seatId, districts: ["南京市"]));
                if (item.Alarm.Status == AlarmStatus.Open)
                {
                    await seat.PostAsync<AlarmSnapshot>($"/api/alarms/{item.Alarm.Id}/accept", new { seatId = item.Alarm.AcceptedBy ?? "cleanup" });
                }

                await seat.PostAsync<AlarmSnapshot>($"/api/alarms/{item.Alarm.Id}/resolve", new { seatId = item.Alarm.AcceptedBy ?? "cleanup", outcome = "test" });
            }
        }
    }

    private async Task RaiseAsync(DeviceRegistration device, string type)
    {
        await using var client = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        Assert.True((await client.PublishEventAsync(Scenario.SosJson($"e-{Suffix()}", type))).IsSuccess);
    }

    private static async Task SendTrackAsync(MqttDevice watch)
    {
        var now = DateTimeOffset.UtcNow;
        var points = Enumerable.Range(0, 6).Select(i =>
            $$"""{"ts":"{{now.AddMinutes(-30 + (i * 5)):O}}","lat":{{(32.0580 + (i * 0.0005)).ToString(CultureInfo.InvariantCulture)}},"lon":{{(118.7940 + (i * 0.0006)).ToString(CultureInfo.InvariantCulture)}},"acc":20,"hr":{{70 + i}}}""");
        await watch.PublishAsync($"devices/{watch.Id}/telemetry", $"[{string.Join(",", points)}]");
    }

    private async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(fixture.ScreenshotDirectory, name), FullPage = false });

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];
}
