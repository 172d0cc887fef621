using System.Net.Http.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>What the broker refuses, and that a refusal never takes down the connection or other devices.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class DeviceGatewayTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task AWrongSecretIsRefused(MqttProtocolVersion version)
    {
        var (_, device) = await Node.ElderWithDeviceAsync();

        var result = await MqttDevice.TryConnectAsync(Node.MqttPort, device.Id, device.Id, "not-the-secret", version);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result);
    }

    [Fact]
    public async Task AnUnknownDeviceAndAClientIdThatIsNotTheUserNameAreRefused()
    {
        var (_, device) = await Node.ElderWithDeviceAsync();

        var unknown = await MqttDevice.TryConnectAsync(Node.MqttPort, "nobody", "nobody", "x");
        var mismatched = await MqttDevice.TryConnectAsync(Node.MqttPort, "someone-else", device.Id, device.Secret);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, unknown);
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, mismatched);
    }

    [Fact]
    public async Task PublishingOnAnotherDevicesTopicIsNotAuthorizedAndRaisesNothing()
    {
        var (_, mine) = await Node.ElderWithDeviceAsync();
        var (victim, theirs) = await Node.ElderWithDeviceAsync();
        await using var device = await MqttDevice.ConnectAsync(Node.MqttPort, mine.Id, mine.Secret);

        var result = await device.PublishAsync($"devices/{theirs.Id}/events", Scenario.SosJson("spoof"));
        var ownAfterwards = await device.PublishEventAsync(Scenario.SosJson("own"));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, ownAfterwards.ReasonCode);
        Assert.Empty(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={victim.Id}"));
    }

    [Fact]
    public async Task SubscribingToAnotherDevicesCommandsIsRefusedButOwnCommandsArrive()
    {
        var (_, mine) = await Node.ElderWithDeviceAsync();
        var (_, theirs) = await Node.ElderWithDeviceAsync();
        await using var device = await MqttDevice.ConnectAsync(Node.MqttPort, mine.Id, mine.Secret);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.Client.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(e.ApplicationMessage.Topic + " " + e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };

        var foreign = await device.Client.SubscribeAsync($"devices/{theirs.Id}/commands", MqttQualityOfServiceLevel.AtLeastOnce);
        var wildcard = await device.Client.SubscribeAsync("devices/#", MqttQualityOfServiceLevel.AtLeastOnce);
        var own = await device.Client.SubscribeAsync($"devices/{mine.Id}/commands", MqttQualityOfServiceLevel.AtLeastOnce);
        using var sent = await Node.Http.PostAsJsonAsync($"/api/devices/{mine.Id}/commands", new { type = "locate" });

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(foreign.Items).ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(wildcard.Items).ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(own.Items).ResultCode);
        sent.EnsureSuccessStatusCode();
        var receipt = await sent.Content.ReadFromJsonAsync<DeviceCommandReceipt>(TestNode.Json);
        Assert.Equal($"devices/{mine.Id}/commands {{\"id\":\"{receipt!.CommandId}\",\"type\":\"locate\"}}", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task MalformedJsonIsRefusedWhileTheSameConnectionKeepsWorking()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        var garbage = await watch.PublishEventAsync("{\"id\":\"1\",\"type\":");
        var outOfRange = await watch.PublishAsync($"devices/{device.Id}/telemetry", """{"ts":1764039540000,"hr":900}""");
        var good = await watch.PublishEventAsync(Scenario.SosJson("after-garbage"));

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, garbage.ReasonCode);
        Assert.Contains("not valid JSON", garbage.ReasonString);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, outOfRange.ReasonCode);
        Assert.Contains("hr: 900", outOfRange.ReasonString);
        Assert.Equal(MqttClientPublishReasonCode.Success, good.ReasonCode);
        Assert.True(watch.Client.IsConnected);
        Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));
    }

    [Fact]
    public async Task AnMqtt311DeviceRaisesAnAlarmAndItsMalformedMessageIsDroppedWithoutDisconnecting()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var handset = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, MqttProtocolVersion.V311);

        await handset.PublishEventAsync("garbage");
        var sos = await handset.PublishEventAsync(Scenario.SosJson("311"));

        Assert.True(sos.IsSuccess);
        Assert.True(handset.Client.IsConnected);
        Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"));
    }

    [Fact]
    public async Task TelemetryMovesTheLastKnownPositionOnTheElderCard()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        await watch.PublishEventAsync(Scenario.SosJson("pos"));
        var alarmId = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;

        var reading = $$"""{"ts":{{DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds()}},"lat":32.07,"lon":118.80,"acc":5,"battery":44,"hr":88}""";
        Assert.Equal(MqttClientPublishReasonCode.Success, (await watch.PublishAsync($"devices/{device.Id}/telemetry", reading)).ReasonCode);

        var detail = await Node.GetAsync<AlarmDetailResponse>($"/api/alarms/{alarmId}");
        Assert.Equal(32.07, detail.Elder.LastKnownPosition!.Position.Lat, 4);
        Assert.Equal($"device:{device.Id}", detail.Elder.LastKnownPosition.Source);
        Assert.Equal((44, 88), (detail.Elder.Devices[0].Battery, detail.Elder.Devices[0].HeartRate));
    }
}
