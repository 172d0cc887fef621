using System.Net;
using ElderIoT.Api.Alarms;
using ElderIoT.Hosting;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Pipeline;
using ElderIoT.Tests.EndToEnd;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.Durability;

/// <summary>
/// A node whose data folder is a small tmpfs, filled to the last byte under traffic and made
/// read-only, and then given its space back: what was acknowledged is stored exactly once, what was
/// not is refused, and the node neither stops nor needs a restart.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class DiskFullTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-3).AddTicks(-(DateTimeOffset.UtcNow.Ticks % TimeSpan.TicksPerMillisecond));

    [Fact]
    public async Task ADiskFullToTheLastByteRefusesWhatItCannotStoreAndStoresEveryAcknowledgedReadingAndSosOnceSpaceReturns()
    {
        using var disk = SmallDisk.Mount();
        await using var node = await TestNode.StartAsync(dataDirectory: disk.Path);
        var (elder, device) = await node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        var acknowledged = new List<int>();

        async Task PublishAsync(MqttDevice client, int from, int count, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
        {
            for (var i = from; i < from + count; i++)
            {
                var result = await client.PublishAsync($"devices/{device.Id}/telemetry", Reading(i), qos);
                if (qos == MqttQualityOfServiceLevel.AtLeastOnce && result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    acknowledged.Add(i);
                }
            }
        }

        await PublishAsync(watch, 0, 20);
        Assert.Equal(20, acknowledged.Count);

        disk.Fill();
        await PublishAsync(watch, 100, 50);
        var acknowledgedWhileFull = acknowledged.Count(i => i >= 100);
        // A few may still fit in the last, partly used page of the log (and are durable there); the rest
        // must be refused, never acknowledged into memory.
        Assert.True(acknowledgedWhileFull < 10, $"{acknowledgedWhileFull} of 50 readings were acknowledged on a full disk");
        await PublishAsync(watch, 500, 20, MqttQualityOfServiceLevel.AtMostOnce); // fire and forget: may be lost, must not hurt

        var sos = Scenario.SosJson("sos-on-a-full-disk");
        Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, (await watch.PublishEventAsync(sos)).ReasonCode);
        await using (var v311 = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret, MqttProtocolVersion.V311))
        {
            // MQTT 3.1.1 has no negative PUBACK: the connection is closed instead of acknowledging.
            await Assert.ThrowsAnyAsync<Exception>(() => v311.PublishAsync($"devices/{device.Id}/telemetry", Reading(300)));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/health/live")).StatusCode);
        Assert.Empty(await node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));

        disk.Free();
        await TestNode.EventuallyAsync(
            async () => (await node.Http.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK, "the node to be ready again");
        await using var after = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await after.PublishEventAsync(sos)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await after.PublishEventAsync(sos)).ReasonCode);
        await PublishAsync(after, 200, 20);

        var stored = await TestNode.EventuallyAsync(
            () => StoredAsync(node, device.Id), r => acknowledged.All(r.Contains), "every acknowledged reading to be stored");
        Assert.Equal(acknowledged.Order(), stored.Where(i => i < 500).Order());
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Single(await node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));
        Assert.True(node.Services.GetRequiredService<TelemetryMetrics>().NotAcknowledged > 0);
    }

    [Fact]
    public async Task WhenTheStoreIsDownAndTheDiskFillsSpoolWritesAndSpoolReplayFailAreRetriedAndEveryAcknowledgedReadingIsStoredOnce()
    {
        using var disk = SmallDisk.Mount();
        var store = new SwitchableTelemetryStore();
        await using var node = await TestNode.StartAsync(
            dataDirectory: disk.Path, settings: new Dictionary<string, string?> { ["Telemetry:BatchAge"] = "00:00:00.100" }, services: store.AddTo);
        var (_, device) = await node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        var metrics = node.Services.GetRequiredService<TelemetryMetrics>();

        store.Down = true;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishAsync($"devices/{device.Id}/telemetry", Reading(i))).ReasonCode);
        }

        await TestNode.EventuallyAsync(() => Task.FromResult(metrics.Spooled), s => s == 20, "the readings to be spooled while the store is down");
        disk.Fill();
        var acknowledged = Enumerable.Range(0, 20).ToList();
        for (var i = 20; i < 40; i++)
        {
            if ((await watch.PublishAsync($"devices/{device.Id}/telemetry", Reading(i))).ReasonCode == MqttClientPublishReasonCode.Success)
            {
                acknowledged.Add(i);
            }
        }

        // What was acknowledged on the full disk sits in the log, and its batch can be neither stored nor spooled.
        if (acknowledged.Count > 20)
        {
            await TestNode.EventuallyAsync(() => Task.FromResult(metrics.SpoolFailures), f => f > 0, "the spool write to fail");
            Assert.Contains(node.Logs.Entries, e => e.Message.Contains("spool write failed"));
        }

        // The store answers again, but it is on the same full disk: replaying the spool fails and is retried.
        var failedReplaysBefore = ReplayFailures(node);
        store.Down = false;
        await TestNode.EventuallyAsync(() => Task.FromResult(ReplayFailures(node)), n => n > failedReplaysBefore, "a spool replay to fail on the full disk");
        Assert.True(metrics.Replayed < 20, "the spool was replayed onto a full disk");

        disk.Free();
        var stored = await TestNode.EventuallyAsync(
            () => StoredAsync(node, device.Id), r => acknowledged.All(r.Contains), "the spool to drain and the kept batch to be stored", TimeSpan.FromSeconds(60));

        Assert.Equal(acknowledged.Order(), stored.Order());
        Assert.True(node.Services.GetRequiredService<WorkerMetrics>().Failures >= (acknowledged.Count > 20 ? 1 : 0));
    }

    [Fact]
    public async Task ADiskThatTurnsReadOnlyUnderARunningNodeGetsNothingAcknowledgedAndEverythingResumesWhenItIsWritableAgain()
    {
        using var disk = SmallDisk.Mount();
        // The sweeper reads the records every interval; slower, it rarely holds a file open as the disk turns.
        await using var node = await TestNode.StartAsync(
            dataDirectory: disk.Path, settings: new Dictionary<string, string?> { ["Escalation:SweepInterval"] = "00:01:00" });
        var (elder, device) = await node.ElderWithDeviceAsync();
        await using (var before = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret))
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, (await before.PublishAsync($"devices/{device.Id}/telemetry", Reading(0))).ReasonCode);
            await TestNode.EventuallyAsync(() => StoredAsync(node, device.Id), r => r.Count == 1, "the first reading to be stored");
        }

        disk.MakeReadOnly(SqliteConnection.ClearAllPools);
        await using (var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret))
        {
            Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, (await watch.PublishEventAsync(Scenario.SosJson("sos-read-only"))).ReasonCode);
            Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, (await watch.PublishAsync($"devices/{device.Id}/telemetry", Reading(1))).ReasonCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Http.GetAsync("/health/ready")).StatusCode);

        disk.MakeWritable();
        await TestNode.EventuallyAsync(
            async () => (await node.Http.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK, "the node to be ready again");
        await using var again = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
        var resent = await again.PublishEventAsync(Scenario.SosJson("sos-read-only"));
        Assert.True(resent.ReasonCode == MqttClientPublishReasonCode.Success, string.Join("\n", node.Logs.Errors.TakeLast(3).Select(e => e.Message + " " + e.Exception)));
        Assert.Equal(MqttClientPublishReasonCode.Success, (await again.PublishAsync($"devices/{device.Id}/telemetry", Reading(1))).ReasonCode);

        await TestNode.EventuallyAsync(() => StoredAsync(node, device.Id), r => r.Count == 2, "both acknowledged readings to be stored");
        Assert.Equal([0, 1], (await StoredAsync(node, device.Id)).Order());
        Assert.Single(await node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));
    }

    private static int ReplayFailures(TestNode node) =>
        node.Logs.Entries.Count(e => e.EventId.Id == 7002 && e.Message.Contains("full", StringComparison.OrdinalIgnoreCase));

    /// <summary>A reading whose heart rate says which one it is (i % 200 + 30 is in range), a second apart.</summary>
    internal static string Reading(int i) =>
        $$"""{"ts":{{Start.AddSeconds(i).ToUnixTimeMilliseconds()}},"hr":{{30 + i % 200}},"steps":{{i}}}""";

    /// <summary>The numbers of the readings stored for the device (from their step counts).</summary>
    internal static async Task<List<int>> StoredAsync(TestNode node, string deviceId)
    {
        var readings = await node.GetAsync<List<StoredReading>>(
            $"/api/devices/{deviceId}/telemetry?from={Start.ToUnixTimeMilliseconds()}&to={Start.AddHours(1).ToUnixTimeMilliseconds()}&limit=100000");
        return [.. readings.Select(r => r.Reading.Steps!.Value)];
    }
}
