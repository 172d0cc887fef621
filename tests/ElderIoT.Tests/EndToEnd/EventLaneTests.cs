using System.Diagnostics.Metrics;
using ElderIoT.Api.Alarms;
using ElderIoT.Telemetry.Pipeline;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// Alarm events have a lane of their own through the gateway and the grains: with everything behind
/// the telemetry path stalled, an SOS is still acknowledged and offered, while telemetry is shed at
/// QoS 0 and held back (its PUBACK withheld) at QoS 1.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class EventLaneTests
{
    [Fact]
    public async Task AnSosIsAcknowledgedAndOfferedWhileTheTelemetryPathIsStalled()
    {
        var stalled = new StallingTelemetryWriter();
        await using var node = await TestNode.StartAsync(
            new Dictionary<string, string?> { ["Gateway:MaxTelemetryInFlight"] = "4" },
            services => services.AddSingleton<ITelemetryWriter>(stalled));
        using var shed = new CounterProbe(node, "elderiot.gateway.telemetry_shed");
        var seatId = $"seat-{Guid.NewGuid():N}";
        var district = $"南京市/车道区{Guid.NewGuid():N}";
        await node.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { district } });
        await using var stream = await SeatStreamReader.OpenAsync(node.Http, seatId);
        var (elder, device) = await node.ElderWithDeviceAsync($"{district}/街道");
        var (otherElder, otherDevice) = await node.ElderWithDeviceAsync($"{district}/街道");
        var (_, reporter) = await node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        await using var otherWatch = await MqttDevice.ConnectAsync(node.MqttPort, otherDevice.Id, otherDevice.Secret);
        await using var vitals = await MqttDevice.ConnectAsync(node.MqttPort, reporter.Id, reporter.Secret);

        // Ten readings at QoS 0: four are taken (and stall behind the writer), six are shed.
        for (var i = 0; i < 10; i++)
        {
            await watch.PublishAsync($"devices/{device.Id}/telemetry", Reading(i), MqttQualityOfServiceLevel.AtMostOnce);
        }

        await stalled.FirstHeld.WaitAsync(TimeSpan.FromSeconds(20));
        // The same watch, right behind its stalled readings.
        var sos = await watch.PublishEventAsync(Scenario.SosJson("lane-1"));
        // At QoS 1 a reading waits for room: its PUBACK is withheld while the stall lasts.
        var heldReading = vitals.PublishAsync($"devices/{reporter.Id}/telemetry", Reading(0));
        // Another elder's SOS, while that reading waits.
        var otherSos = await otherWatch.PublishEventAsync(Scenario.SosJson("lane-2", "fall"));

        Assert.Equal(MqttClientPublishReasonCode.Success, sos.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, otherSos.ReasonCode);
        Assert.Equal("offered", (await stream.NextAsync((e, n) => n.Alarm.ElderId == elder.Id)).Event);
        Assert.Equal("offered", (await stream.NextAsync((e, n) => n.Alarm.ElderId == otherElder.Id)).Event);
        Assert.Single(await node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}&status=open"));
        Assert.False(heldReading.IsCompleted, "a QoS 1 reading is not acknowledged while telemetry is stalled");
        Assert.Equal(6, shed.Total);

        stalled.Release();
        Assert.Equal(MqttClientPublishReasonCode.Success, (await heldReading.WaitAsync(TimeSpan.FromSeconds(20))).ReasonCode);
    }

    private static string Reading(int i) =>
        $$"""{"ts":{{DateTimeOffset.UtcNow.AddSeconds(-i).ToUnixTimeMilliseconds()}},"hr":{{70 + i}}}""";

    /// <summary>Sums one counter of the node's own meters (other nodes in the process are ignored).</summary>
    private sealed class CounterProbe : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public CounterProbe(TestNode node, string instrument)
        {
            var meters = node.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Name == instrument && ReferenceEquals(i.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
