using System.Net.Http.Json;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Tests.EndToEnd;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Durability;

/// <summary>kill -9 of the built host executable right after the last PUBACK, driven by Debian's mosquitto_pub.</summary>
[Collection(NodeCollection.Name)]
public sealed class CrashTests
{
    private const int Devices = 4;
    private const int ReadingsPerDevice = 750;

    [Fact]
    public async Task EveryQos1ReadingAcknowledgedBeforeAKillIsStoredExactlyOnceAfterTheRestart()
    {
        var dataDirectory = RepoPaths.TempDirectory("crash");
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerMillisecond));
        List<DeviceRegistration> devices = [];

        // Batches of up to a minute: whatever the machine's speed, nothing reaches the store before the
        // kill unless it was made durable before its PUBACK.
        await using (var node = await NodeProcess.StartAsync(dataDirectory, "--Telemetry:BatchAge", "00:01:00"))
        {
            var elder = await node.PostAsync<ElderResponse>("/api/elders", Scenario.ElderBody());
            for (var d = 0; d < Devices; d++)
            {
                devices.Add(await node.PostAsync<DeviceRegistration>("/api/devices", new { id = $"crash-{d}", kind = "watch", elderId = elder.Id }));
            }

            // 3 000 readings, one message each, from four devices at once; mosquitto_pub exits once the
            // last of its messages is acknowledged.
            var publishers = devices.Select((device, d) =>
            {
                var lines = Path.Combine(dataDirectory, $"{device.Id}.lines");
                File.WriteAllLines(lines, Enumerable.Range(0, ReadingsPerDevice).Select(i =>
                    $$"""{"ts":{{start.AddSeconds(i).ToUnixTimeMilliseconds()}},"hr":{{60 + (i % 40)}},"lat":32.06,"lon":118.79}"""));
                return ExternalProcess.RunAsync("bash", "-c",
                    $"mosquitto_pub -h 127.0.0.1 -p {node.MqttPort} -V mqttv311 -q 1 -i {device.Id} -u {device.Id} -P '{device.Secret}' " +
                    $"-t devices/{device.Id}/telemetry -l < '{lines}'");
            }).ToList();
            foreach (var result in await Task.WhenAll(publishers))
            {
                Assert.True(result.ExitCode == 0, result.Output);
            }

            node.KillHard();
        }

        await using var restarted = await NodeProcess.StartAsync(dataDirectory);
        var range = $"from={start.ToUnixTimeMilliseconds()}&to={start.AddHours(1).ToUnixTimeMilliseconds()}&limit=100000";
        foreach (var device in devices)
        {
            var stored = await TestNode.EventuallyAsync(
                () => restarted.GetAsync<List<StoredReading>>($"/api/devices/{device.Id}/telemetry?{range}"),
                r => r.Count >= ReadingsPerDevice,
                $"the acknowledged readings of {device.Id} to be replayed",
                TimeSpan.FromSeconds(60));
            Assert.Equal(ReadingsPerDevice, stored.Count);
            Assert.Equal(ReadingsPerDevice, stored.Select(r => r.Reading.Timestamp).Distinct().Count());
        }

        Assert.Contains("left by the last process are replayed", restarted.Output);
    }
}
