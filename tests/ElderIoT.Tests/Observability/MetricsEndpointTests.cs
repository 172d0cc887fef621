using ElderIoT.Tests.EndToEnd;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;

namespace ElderIoT.Tests.Observability;

/// <summary>
/// A node's metrics as a Prometheus server scrapes them (docs/observability.md): after an SOS that a
/// seat is offered, <c>/metrics</c> holds the connected devices, the message and alarm counters and
/// the PUBACK and seat-offer timings, in the text exposition format.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class MetricsEndpointTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task AfterAnSosOfferedToASeatTheScrapeHoldsDevicesMessagesAlarmsAndTheirTimings()
    {
        var seatId = $"seat-{Guid.NewGuid():N}";
        var district = $"南京市/指标区{Guid.NewGuid():N}";
        await Node.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { district } });
        await using var stream = await SeatStreamReader.OpenAsync(Node.Http, seatId);
        var (_, device) = await Node.ElderWithDeviceAsync($"{district}/街道");
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishEventAsync(Scenario.SosJson("metrics-1"))).ReasonCode);
        await stream.NextAsync((kind, _) => kind == "offered");

        var scrape = await TestNode.EventuallyAsync(
            () => Node.Http.GetStringAsync("/metrics"),
            text => text.Contains("elderiot_alarms_time_to_offer_milliseconds_bucket", StringComparison.Ordinal),
            "the seat offer's timing in the scrape");
        var lines = scrape.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("# TYPE elderiot_gateway_connected_devices gauge", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("elderiot_gateway_connected_devices", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("# TYPE elderiot_gateway_messages_total counter", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("elderiot_alarms_raised_total{", StringComparison.Ordinal) && l.Contains("kind=\"sos\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("elderiot_gateway_event_duration_milliseconds_bucket{", StringComparison.Ordinal) && l.Contains("le=\"50\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("elderiot_alarms_time_to_offer_milliseconds_count", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));
    }
}
