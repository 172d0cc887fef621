using System.Net;
using System.Net.Http.Json;
using ElderIoT.Api.Access;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Access;

/// <summary>Who read what is recorded; the family sees a position only with the elder's consent.</summary>
public sealed class PrivacyTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task EveryReadOfAnElderByASeatIsAuditedWithTheAlarmItIsHandling()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync(AccessFixture.District);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("audit-sos"));
        var alarmId = Assert.Single(await Node.GetAsync<List<Api.Alarms.AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;
        using var seat = Node.AsSeat("seat-audited", "南京市/秦淮区");
        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}";

        await seat.GetAsync<object>($"/api/alarms/{alarmId}");
        await seat.GetAsync<object>($"/api/elders/{elder.Id}");
        await seat.GetAsync<object>($"/api/elders/{elder.Id}/positions?{range}");
        var rows = await Node.GetAsync<List<AuditEntry>>($"/api/audit?elderId={elder.Id}&userName=seat-audited");

        Assert.Equal(["alarm", "elder", "positions"], rows.Select(r => r.Action).Order());
        Assert.All(rows, row => Assert.Equal((alarmId, "seat"), (row.AlarmId!.Value, row.Role)));
        Assert.All(rows, row => Assert.InRange(row.At, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(5)));
    }

    [Fact]
    public async Task AuditRowsCannotBeChangedOrDeletedThroughTheApi()
    {
        await Node.GetAsync<object>($"/api/elders/{fixture.Elder.Id}");
        var before = await Node.GetAsync<List<AuditEntry>>($"/api/audit?elderId={fixture.Elder.Id}");

        using var delete = await Node.Http.DeleteAsync("/api/audit");
        using var deleteOne = await Node.Http.DeleteAsync($"/api/audit/{before[0].Id}");
        using var put = await Node.Http.PutAsJsonAsync($"/api/audit/{before[0].Id}", new { userName = "nobody" });
        var after = await Node.GetAsync<List<AuditEntry>>($"/api/audit?elderId={fixture.Elder.Id}&limit=1000");

        Assert.All(new[] { delete, deleteOne, put }, r => Assert.False(r.IsSuccessStatusCode, $"{r.RequestMessage!.Method} {r.RequestMessage.RequestUri}: {(int)r.StatusCode}"));
        Assert.All(before, row => Assert.Contains(after, a => a == row));
    }

    [Fact]
    public async Task TheFamilySeesTheOpenAlarmButNoPositionUntilTheElderConsents()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync(AccessFixture.District);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""[{"ts":"{{DateTimeOffset.UtcNow:O}}","lat":32.0211,"lon":118.7911,"acc":10,"hr":81}]""");
        await watch.PublishEventAsync(Scenario.SosJson("family-sos"));
        await TestNode.EventuallyAsync(() => Node.GetAsync<Contracts.Devices.DeviceStatus>($"/api/devices/{device.Id}"), s => s.LastPosition is not null, "the fix");
        using var family = Node.As(TestTokens.For(AccessRole.Family, "son", elderId: elder.Id));

        var withoutConsent = await family.GetAsync<FamilyView>("/api/family/elder");
        using var record = await family.Http.GetAsync($"/api/elders/{elder.Id}");
        using var positions = await family.Http.GetAsync($"/api/elders/{elder.Id}/positions");
        await Node.Http.PutAsJsonAsync($"/api/elders/{elder.Id}/consent", new { shareLocationWithFamily = true, shareHealthWithFamily = false });
        var withConsent = await family.GetAsync<FamilyView>("/api/family/elder");
        var live = await Node.GetAsync<Contracts.Devices.DeviceStatus>($"/api/devices/{device.Id}");

        Assert.NotNull(withoutConsent.OpenAlarm);
        Assert.Equal((false, (FamilyPosition?)null, (int?)null), (withoutConsent.LocationShared, withoutConsent.LastPosition, withoutConsent.HeartRate));
        Assert.Equal(HttpStatusCode.Forbidden, record.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, positions.StatusCode);
        Assert.True(withConsent.LocationShared);
        Assert.Equal(live.LastPosition, withConsent.LastPosition!.Position);
        Assert.Null(withConsent.HeartRate); // health data was not consented to
        Assert.Contains(await Node.GetAsync<List<AuditEntry>>($"/api/audit?elderId={elder.Id}&action=family_view"), r => r.UserName == "son");
    }
}
