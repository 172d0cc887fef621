using System.Net;
using System.Text.Json;
using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>Telemetry sent over MQTT comes back through the history endpoints (embedded store).</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class HistoryApiTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task ReadingsSentByAWatchComeBackAsTrackVitalsCsvAndEvents()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        // On a whole 10 minutes, so that the 10-minute vitals intervals (aligned on the centre's clock) hold 10 readings each.
        start = start.AddTicks(-(start.Ticks % TimeSpan.FromMinutes(10).Ticks));
        // Twenty readings a minute apart, sent as one buffered array, heart rate 60..79.
        var readings = string.Join(",", Enumerable.Range(0, 20).Select(i =>
            $$"""{"ts":{{start.AddMinutes(i).ToUnixTimeMilliseconds()}},"lat":{{32.05 + i * 0.001}},"lon":118.78,"acc":10,"hr":{{60 + i}},"battery":{{90 - i}}}"""));
        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishAsync($"devices/{device.Id}/telemetry", $"[{readings}]")).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(Scenario.SosJson("history-sos"))).ReasonCode);
        var range = $"from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(start.AddMinutes(20).ToString("O"))}";

        var raw = await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<StoredReading>>($"/api/devices/{device.Id}/telemetry?{range}"), r => r.Count == 20, "the readings to be written");
        var track = await Node.GetAsync<List<TrackPoint>>($"/api/elders/{elder.Id}/positions?{range}&maxPoints=4");
        var geo = await Node.GetAsync<JsonElement>($"/api/elders/{elder.Id}/positions/geojson?{range}&maxPoints=4");
        var vitals = await Node.GetAsync<List<VitalsBucket>>($"/api/elders/{elder.Id}/vitals?metric=hr&{range}&interval=10m");
        var csv = await Node.Http.GetStringAsync($"/api/devices/{device.Id}/telemetry?{range}&format=csv");
        var events = await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<StoredEvent>>($"/api/elders/{elder.Id}/events?from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}"),
            e => e.Count == 1, "the SOS in the event history");

        Assert.Equal(60, raw[0].Reading.HeartRate);
        Assert.Equal(4, track.Count);
        Assert.Equal(start.AddMinutes(19), track[^1].At);
        Assert.Equal("LineString", geo.GetProperty("geometry").GetProperty("type").GetString());
        var last = geo.GetProperty("geometry").GetProperty("coordinates")[3];
        Assert.Equal((118.78, 32.069), (last[0].GetDouble(), Math.Round(last[1].GetDouble(), 3)));
        Assert.Equal(2, vitals.Count);
        Assert.Equal((64.5, 60.0, 69.0, 10L), (vitals[0].Mean, vitals[0].Min, vitals[0].Max, vitals[0].Count));
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("ts,lat,lon,acc,hr,spo2,sbp,dbp,steps,battery,worn", lines[0]);
        Assert.Equal(21, lines.Length);
        Assert.EndsWith(",10,60,,,,,90,", lines[1]);
        Assert.Equal((DeviceEventType.Sos, "history-sos"), (events[0].Type, events[0].EventId));
        Assert.NotNull(events[0].AlarmId);
    }

    [Fact]
    public async Task BadRangesAreProblemDetailsNamingTheParameter()
    {
        var elder = await Node.CreateElderAsync();

        var backwards = await ProblemFieldsAsync($"/api/elders/{elder.Id}/positions?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z");
        var tooLong = await ProblemFieldsAsync($"/api/elders/{elder.Id}/vitals?from=2026-01-01T00:00:00Z&to=2026-11-25T00:00:00Z");
        var badMetric = await ProblemFieldsAsync($"/api/elders/{elder.Id}/vitals?metric=mood&interval=5x");
        var badTime = await ProblemFieldsAsync($"/api/devices/x/telemetry?from=yesterday&format=xml");
        using var unknown = await Node.Http.GetAsync($"/api/elders/{Guid.NewGuid()}/positions");

        Assert.Contains("from", backwards);
        Assert.Contains("to", tooLong);
        Assert.Equal(["interval", "metric"], badMetric.Order());
        Assert.Equal(["format", "from"], badTime.Order());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<List<string>> ProblemFieldsAsync(string path)
    {
        using var response = await Node.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        return [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }
}
