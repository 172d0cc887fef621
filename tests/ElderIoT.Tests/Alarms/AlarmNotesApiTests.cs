using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ElderIoT.Api.Access;
using ElderIoT.Api.Alarms;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Seats;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Alarms;

/// <summary>
/// Notes on an open alarm (POST /api/alarms/{id}/notes) through a real node: written by the alarm
/// grain onto the timeline with who wrote it, pushed to the seats that see the alarm, refused with
/// the field named, to a seat of another district, for an alarm that does not exist or is closed.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class AlarmNotesApiTests : IAsyncLifetime
{
    private readonly string _district = $"南京市/备注{Guid.NewGuid():N}"[..22];
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ASeatsNoteGoesOnTheTimelineWithItsAuthorAndReachesTheOtherSeatsScreenAtOnce()
    {
        var alarmId = await OpenAlarmAsync();
        using var seatA = _node.AsSeat("note-seat-a", _district);
        var seatB = "note-seat-b";
        await _node.PostAsync<SeatStatus>($"/api/seats/{seatB}/online", new { districts = new[] { _district } });
        await using var screenB = await SeatStreamReader.OpenAsync(_node.Http, seatB);
        await seatA.PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/accept");

        var written = await seatA.PostAsync<AlarmTimelineEntry>($"/api/alarms/{alarmId}/notes", new { text = "  已联系女儿，十分钟到  " });

        Assert.Equal("note_added", written.Type);
        Assert.Equal("seat:note-seat-a", written.Actor);
        Assert.Equal("已联系女儿，十分钟到", written.Detail);
        var (_, notice) = await screenB.NextAsync((name, n) => n.Alarm.Id == alarmId && name == "note_added");
        Assert.Equal(AlarmChange.NoteAdded, notice.Change);
        Assert.Equal("已联系女儿，十分钟到", notice.Detail);
        var timeline = (await _node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}")).Timeline;
        var note = Assert.Single(timeline, e => e.Type == "note_added");
        Assert.Equal("seat:note-seat-a", note.Actor);
        Assert.Equal("已联系女儿，十分钟到", note.Detail);
        Assert.Equal("Note", note.Title); // the suite's clients ask in English
        Assert.Equal("Note", written.Title);
        Assert.True(note.At >= timeline.Single(e => e.Type == "accepted").At);
    }

    [Fact]
    public async Task ASupervisorWithoutASeatWritesInTheirOwnNameOnAnAlarmNobodyTookYet()
    {
        var alarmId = await OpenAlarmAsync();
        using var lead = _node.As(TestTokens.For(AccessRole.Supervisor, "lead-zhou"));

        var written = await lead.PostAsync<AlarmTimelineEntry>($"/api/alarms/{alarmId}/notes", new { text = "请优先处理" });

        Assert.Equal("user:lead-zhou", written.Actor);
        var note = Assert.Single((await _node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}")).Timeline, e => e.Type == "note_added");
        Assert.Equal("user:lead-zhou", note.Actor);
        Assert.Equal(AlarmStatus.Open, (await _node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}")).Alarm.Status);
    }

    [Fact]
    public async Task ANoteIsRefusedNamingTheTextWhenEmptyOrTooLongForAnUnknownOrClosedAlarmAndToAnotherDistrictsSeat()
    {
        var alarmId = await OpenAlarmAsync();
        using var seat = _node.AsSeat("note-seat-c", _district);
        using var far = _node.AsSeat("note-seat-far", "上海市/徐汇区");

        var blank = await seat.Http.PostAsJsonAsync($"/api/alarms/{alarmId}/notes", new { text = "   " });
        var missing = await seat.Http.PostAsJsonAsync($"/api/alarms/{alarmId}/notes", new { });
        var tooLong = await seat.Http.PostAsJsonAsync($"/api/alarms/{alarmId}/notes", new { text = new string('字', 2001) });
        var longest = await seat.Http.PostAsJsonAsync($"/api/alarms/{alarmId}/notes", new { text = new string('字', 2000) });
        var unknown = await seat.Http.PostAsJsonAsync($"/api/alarms/{Guid.NewGuid()}/notes", new { text = "hello" });
        var otherDistrict = await far.Http.PostAsJsonAsync($"/api/alarms/{alarmId}/notes", new { text = "hello" });
        await seat.PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/accept");
        await seat.PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/resolve", new { outcome = "false_alarm" });
        var afterResolve = await seat.Http.PostAsJsonAsync($"/api/alarms/{alarmId}/notes", new { text = "too late" });
        var supervisorAfterResolve = await _node.Http.PostAsJsonAsync($"/api/alarms/{alarmId}/notes", new { text = "too late" });

        foreach (var refused in new[] { blank, missing, tooLong })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("text", out _));
        }

        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherDistrict.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, supervisorAfterResolve.StatusCode);
        // A seat that held the alarm still reaches it once closed, and is told it is closed.
        Assert.Equal(HttpStatusCode.Conflict, afterResolve.StatusCode);
        var notes = (await _node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}")).Timeline.Where(e => e.Type == "note_added").ToList();
        Assert.Equal(new string('字', 2000), Assert.Single(notes).Detail);
    }

    /// <summary>An SOS of an elder of the test's district, raised through the device grain as a watch would.</summary>
    private async Task<Guid> OpenAlarmAsync()
    {
        var grains = _node.Services.GetRequiredService<IGrainFactory>();
        var elderId = Guid.NewGuid();
        await grains.GetGrain<IElderGrain>(elderId).CreateAsync(new ElderProfile(
            "刘桂香", null, "南京市鼓楼区北京西路3号", $"{_district}/街道", null, new DateOnly(1938, 5, 1),
            Sex.Female, CareLevel.Assisted, [], [], "zh-CN", [new Contact("家属", "女儿", "+8613700000003", "zh-CN")]));
        var watch = $"w-{Guid.NewGuid():N}";
        await grains.GetGrain<IDeviceGrain>(watch).RegisterAsync(DeviceKind.Watch, elderId);
        var raised = await grains.GetGrain<IDeviceGrain>(watch).ReportEventAsync(new DeviceEvent(watch, "1", DeviceEventType.Sos, DateTimeOffset.UtcNow, null));
        return raised.AlarmId!.Value;
    }
}
