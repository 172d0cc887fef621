using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>The device card a seat reads (GET /api/devices/{id}) says what the centre last knew, also after a restart.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class DeviceCardTests
{
    [Fact]
    public async Task TheLastHeartRateIsKeptAcrossARestartLikeTheBattery()
    {
        var dataDirectory = RepoPaths.TempDirectory("card-restart");
        DeviceRegistration device;
        await using (var before = await TestNode.StartAsync(dataDirectory: dataDirectory))
        {
            (_, device) = await before.ElderWithDeviceAsync();
            await using var watch = await MqttDevice.ConnectAsync(before.MqttPort, device.Id, device.Secret);
            var reading = $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"battery":61,"hr":77}""";
            Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishAsync($"devices/{device.Id}/telemetry", reading)).ReasonCode);
        }

        await using var after = await TestNode.StartAsync(dataDirectory: dataDirectory);
        var card = await after.GetAsync<DeviceStatus>($"/api/devices/{device.Id}");

        Assert.Equal((61, 77), (card.Battery, card.HeartRate));
    }

    [Fact]
    public async Task AConnectWithoutAPublishMarksTheDeviceSeenAndTheRecordKeepsIt()
    {
        var dataDirectory = RepoPaths.TempDirectory("card-seen");
        DeviceRegistration device;
        DateTimeOffset connectedAt;
        await using (var before = await TestNode.StartAsync(dataDirectory: dataDirectory))
        {
            (_, device) = await before.ElderWithDeviceAsync();
            Assert.Null((await before.GetAsync<DeviceStatus>($"/api/devices/{device.Id}")).LastSeenAt);
            connectedAt = DateTimeOffset.UtcNow;
            await using var watch = await MqttDevice.ConnectAsync(before.MqttPort, device.Id, device.Secret);

            var live = await before.GetAsync<DeviceStatus>($"/api/devices/{device.Id}");
            Assert.True(live.LastSeenAt >= connectedAt.AddSeconds(-1), $"lastSeenAt {live.LastSeenAt:O} after a connect at {connectedAt:O}");
        }

        await using var after = await TestNode.StartAsync(dataDirectory: dataDirectory);
        var card = await after.GetAsync<DeviceStatus>($"/api/devices/{device.Id}");

        Assert.True(card.LastSeenAt >= connectedAt.AddSeconds(-1), $"lastSeenAt {card.LastSeenAt:O} after a restart; connected at {connectedAt:O}");
    }
}
