using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Callbacks;

/// <summary>
/// Call-backs (回访) through the API of a real node: the result recorded once in the caller's name,
/// bad input named by field, a seat kept to its districts, and the overdue list for supervisors.
/// </summary>
public sealed class CallbacksApiTests : IAsyncLifetime
{
    private readonly string _district = $"南京市/回访{Guid.NewGuid():N}"[..22];
    private TestNode _node = null!;

    // Due one second after the resolution, so that the overdue list can be seen on the real clock.
    public async Task InitializeAsync() => _node = await TestNode.StartAsync(
        new Dictionary<string, string?> { ["Callbacks:DueWithin"] = "00:00:01" });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task TheResultIsRecordedOnceInTheSeatsNameAndASecondResultIsAConflict()
    {
        var alarmId = await ResolvedAlarmAsync(AlarmOutcome.RealEmergency);
        using var seat = TestTokens.Client(_node.Http.BaseAddress!, TestTokens.Seat("seat-cb", _district));
        var id = (await ListAsync(seat, "")).Single(c => c.GetProperty("alarmId").GetGuid() == alarmId).GetProperty("id").GetGuid();

        var badResult = await seat.PostAsJsonAsync($"/api/callbacks/{id}/result", new { result = "fine" });
        var recorded = await seat.PostAsJsonAsync($"/api/callbacks/{id}/result", new { result = "needs_service", notes = "想要助餐服务" });
        var second = await seat.PostAsJsonAsync($"/api/callbacks/{id}/result", new { result = "reached_well" });

        Assert.Equal(HttpStatusCode.BadRequest, badResult.StatusCode);
        Assert.True((await badResult.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("result", out _));
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var done = (await ListAsync(_node.Http, "?status=done")).Single(c => c.GetProperty("id").GetGuid() == id);
        Assert.Equal("needs_service", done.GetProperty("result").GetString());
        Assert.Equal("想要助餐服务", done.GetProperty("notes").GetString());
        Assert.Equal("seat-cb", done.GetProperty("completedBy").GetString());
    }

    [Fact]
    public async Task ASeatOfAnotherDistrictNeitherSeesNorCompletesTheCallBack()
    {
        var alarmId = await ResolvedAlarmAsync(AlarmOutcome.NoContact);
        var id = (await ListAsync(_node.Http, "")).Single(c => c.GetProperty("alarmId").GetGuid() == alarmId).GetProperty("id").GetGuid();
        using var far = TestTokens.Client(_node.Http.BaseAddress!, TestTokens.Seat("far-seat", "上海市"));

        var listed = await ListAsync(far, "");
        var recorded = await far.PostAsJsonAsync($"/api/callbacks/{id}/result", new { result = "reached_well" });

        Assert.DoesNotContain(listed, c => c.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.NotFound, recorded.StatusCode);
    }

    [Fact]
    public async Task APendingCallBackPastItsDueTimeIsListedAsOverdueUntilItHasAResult()
    {
        var alarmId = await ResolvedAlarmAsync(AlarmOutcome.RealEmergency);
        var district = "?overdue=true&district=" + Uri.EscapeDataString(_district);

        var overdue = await TestNode.EventuallyAsync(() => ListAsync(_node.Http, district),
            list => list.Any(c => c.GetProperty("alarmId").GetGuid() == alarmId), "the call-back to pass its due time");
        var task = overdue.Single(c => c.GetProperty("alarmId").GetGuid() == alarmId);
        Assert.True(task.GetProperty("overdue").GetBoolean());
        Assert.Equal("pending", task.GetProperty("status").GetString());
        (await _node.Http.PostAsJsonAsync($"/api/callbacks/{task.GetProperty("id").GetGuid()}/result", new { result = "reached_well" })).EnsureSuccessStatusCode();

        Assert.DoesNotContain(await ListAsync(_node.Http, district), c => c.GetProperty("alarmId").GetGuid() == alarmId);
        Assert.Equal(HttpStatusCode.BadRequest, (await _node.Http.GetAsync("/api/callbacks?status=late")).StatusCode);
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient http, string query) =>
        (await http.GetFromJsonAsync<List<JsonElement>>("/api/callbacks" + query))!;

    private async Task<Guid> ResolvedAlarmAsync(AlarmOutcome outcome)
    {
        var grains = _node.Services.GetRequiredService<IGrainFactory>();
        var elderId = Guid.NewGuid();
        await grains.GetGrain<IElderGrain>(elderId).CreateAsync(new ElderProfile(
            "陈玉珍", null, "南京市鼓楼区中山路2号", _district, null, new DateOnly(1940, 3, 1),
            Sex.Female, CareLevel.Assisted, [], [], "zh-CN", [new Contact("家属", "儿子", "+8613700000002", "zh-CN")]));
        var watch = $"w-{Guid.NewGuid():N}";
        await grains.GetGrain<IDeviceGrain>(watch).RegisterAsync(DeviceKind.Watch, elderId);
        var raised = await grains.GetGrain<IDeviceGrain>(watch).ReportEventAsync(new DeviceEvent(watch, "1", DeviceEventType.Sos, DateTimeOffset.UtcNow, null));
        var alarm = grains.GetGrain<IAlarmGrain>(raised.AlarmId!.Value);
        await alarm.AcceptAsync("seat-cb");
        await alarm.ResolveAsync("seat-cb", outcome, null);
        return raised.AlarmId.Value;
    }
}
