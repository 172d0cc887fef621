using System.Net;
using System.Net.Http.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>
/// Commands down to devices, through real MQTT clients: kept for a device that is away, sent when it
/// can take them, in order, until it acknowledges them or they expire.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
[Collection(NodeCollection.Name)]
public sealed class DeviceCommandTests(NodeFixture fixture)
{
    private const string Accepted = "elderiot.device_commands.accepted";
    private const string Ended = "elderiot.device_commands.ended";

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task CommandsSentWhileTheDeviceWasOfflineArriveInOrderWhenItConnectsWithACleanSession()
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        using var accepted = new CounterRecorder(Node, Accepted);
        using var ended = new CounterRecorder(Node, Ended);

        var first = await SendAsync(Node, device.Id, new { type = "locate" });
        var second = await SendAsync(Node, device.Id, new { type = "set_interval", seconds = 60 });
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, MqttProtocolVersion.V311);
        var inbox = await CommandInbox.OpenAsync(watch);

        Assert.Equal(DeviceCommandDelivery.Queued, first.Delivery);
        Assert.InRange(first.ExpiresAt, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        var got = await inbox.NextAsync();
        Assert.Equal(first.CommandId.ToString(), got.GetProperty("id").GetString());
        Assert.Equal("locate", got.GetProperty("type").GetString());
        got = await inbox.NextAsync();
        Assert.Equal(second.CommandId.ToString(), got.GetProperty("id").GetString());
        Assert.Equal(60, got.GetProperty("seconds").GetInt32());
        var states = await TestNode.EventuallyAsync(() => CommandsAsync(Node, device.Id), c => c.All(x => x.State == DeviceCommandState.Delivered), "both commands to be acknowledged");
        Assert.All(states, s => Assert.Equal(1, s.Attempts));
        Assert.Equal(2, accepted.Count("delivery", "queued"));
        Assert.Equal(2, ended.Count("reason", "delivered"));
    }

    [Fact]
    public async Task ACommandToAConnectedSubscribedDeviceIsSentNowAndItsPubackMarksItDelivered()
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var inbox = await CommandInbox.OpenAsync(watch);

        var receipt = await SendAsync(Node, device.Id, new { type = "locate" });

        Assert.Equal(DeviceCommandDelivery.Sent, receipt.Delivery);
        Assert.Equal(receipt.CommandId.ToString(), (await inbox.NextAsync()).GetProperty("id").GetString());
        await TestNode.EventuallyAsync(() => CommandsAsync(Node, device.Id), c => c.Single().State == DeviceCommandState.Delivered, "the PUBACK to mark it delivered");
    }

    [Fact]
    public async Task ACommandThatExpiresUndeliveredIsRecordedAsExpiredAndNeverSent()
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        using var ended = new CounterRecorder(Node, Ended);
        var shortLived = await SendAsync(Node, device.Id, new { type = "ring" }, ttlSeconds: 1);
        var lasting = await SendAsync(Node, device.Id, new { type = "locate" });

        await TestNode.EventuallyAsync(() => CommandsAsync(Node, device.Id), c => c.Single(x => x.Id == shortLived.CommandId).State == DeviceCommandState.Expired, "the short-lived command to expire");
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var inbox = await CommandInbox.OpenAsync(watch);

        // Sent in order, so had the expired one gone out it would have come first.
        Assert.Equal(lasting.CommandId.ToString(), (await inbox.NextAsync()).GetProperty("id").GetString());
        var expired = (await CommandsAsync(Node, device.Id)).Single(c => c.Id == shortLived.CommandId);
        Assert.Equal(0, expired.Attempts);
        Assert.Equal(1, ended.Count("reason", "expired"));
    }

    [Fact]
    public async Task AFullOutboxDropsItsOldestCommandSaysSoAndRecordsIt()
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        using var ended = new CounterRecorder(Node, Ended);
        var receipts = new List<DeviceCommandReceipt>();
        for (var i = 0; i <= 32; i++)
        {
            receipts.Add(await SendAsync(Node, device.Id, new { type = "ping", n = i }));
        }

        Assert.All(receipts[..32], r => Assert.Null(r.DroppedCommandId));
        Assert.Equal(receipts[0].CommandId, receipts[32].DroppedCommandId);
        var commands = await CommandsAsync(Node, device.Id);
        Assert.Equal(DeviceCommandState.Dropped, commands.Single(c => c.Id == receipts[0].CommandId).State);
        Assert.Equal(32, commands.Count(c => c.State == DeviceCommandState.Pending));
        Assert.Equal(1, ended.Count("reason", "dropped"));

        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);
        var inbox = await CommandInbox.OpenAsync(watch);
        Assert.Equal(1, (await inbox.NextAsync()).GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task APersistentSessionGetsWhatWasSentWhileItWasAwayWithoutSubscribingAgain(MqttProtocolVersion version)
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        await using (var first = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, version, cleanSession: false))
        {
            await CommandInbox.OpenAsync(first);
            // Gone without ending the session (MQTT 5 would otherwise end it with session expiry 0).
            await first.Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval(version == MqttProtocolVersion.V500 ? 3600u : 0u).Build());
        }

        // Whether the broker has seen the disconnect yet or not (then it is sent into the closing
        // connection), the command stays pending until the device acknowledges it.
        var receipt = await SendAsync(Node, device.Id, new { type = "locate" });
        CommandInbox inbox = null!;
        await using var back = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, version, cleanSession: false, beforeConnect: c => inbox = new CommandInbox(c));

        Assert.Equal(receipt.CommandId.ToString(), (await inbox.NextAsync()).GetProperty("id").GetString());
        await TestNode.EventuallyAsync(() => CommandsAsync(Node, device.Id), c => c.Single().State == DeviceCommandState.Delivered, "the PUBACK to mark it delivered");
    }

    [Fact]
    public async Task ACommandKeptForAnOfflineDeviceSurvivesARestartOfTheNode()
    {
        var dataDirectory = RepoPaths.TempDirectory("commands-restart");
        DeviceRegistration device;
        DeviceCommandReceipt receipt;
        await using (var before = await TestNode.StartAsync(dataDirectory: dataDirectory))
        {
            (_, device) = await before.ElderWithDeviceAsync();
            receipt = await SendAsync(before, device.Id, new { type = "locate" });
        }

        await using var after = await TestNode.StartAsync(dataDirectory: dataDirectory);
        await using var watch = await MqttDevice.ConnectAsync(after.MqttPort, device.Id, device.Secret);
        var inbox = await CommandInbox.OpenAsync(watch);

        Assert.Equal(receipt.CommandId.ToString(), (await inbox.NextAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task AlarmAcceptedReachesEveryDeviceWhoseEventJoinedTheAlarm()
    {
        var elder = await Node.CreateElderAsync();
        var watchRegistration = await Node.RegisterDeviceAsync(elder.Id);
        var sensorRegistration = await Node.RegisterDeviceAsync(elder.Id, kind: "sensor");
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, watchRegistration.Id, watchRegistration.Secret);
        await using var sensor = await MqttDevice.ConnectAsync(Node.MqttPort, sensorRegistration.Id, sensorRegistration.Secret, MqttProtocolVersion.V311);
        var watchInbox = await CommandInbox.OpenAsync(watch);
        var sensorInbox = await CommandInbox.OpenAsync(sensor);
        await watch.PublishEventAsync(Scenario.SosJson("sos-1"));
        await sensor.PublishEventAsync(Scenario.SosJson("fall-1", type: "fall"));
        var alarmId = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}")).Alarm.Id;

        await Node.AsSeat("seat-commands", Scenario.District).PostAsync<AlarmSnapshot>($"/api/alarms/{alarmId}/accept");

        foreach (var inbox in new[] { watchInbox, sensorInbox })
        {
            var told = await inbox.NextAsync();
            Assert.Equal("alarm_accepted", told.GetProperty("type").GetString());
            Assert.Equal(alarmId.ToString(), told.GetProperty("alarmId").GetString());
            Assert.True(Guid.TryParse(told.GetProperty("id").GetString(), out _));
        }
    }

    [Theory]
    [InlineData("""{"type":"locate","id":"mine"}""", "id")]
    [InlineData("""{"kind":"locate"}""", "type")]
    [InlineData("""["locate"]""", "type")]
    public async Task ACommandTheDeviceCouldNotUseIsRefusedNamingTheField(string body, string field)
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        using var response = await Node.Http.PostAsync($"/api/devices/{device.Id}/commands", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    private static async Task<DeviceCommandReceipt> SendAsync(TestNode node, string deviceId, object command, int? ttlSeconds = null)
    {
        using var response = await node.Http.PostAsJsonAsync($"/api/devices/{deviceId}/commands{(ttlSeconds is { } t ? $"?ttlSeconds={t}" : "")}", command, TestNode.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DeviceCommandReceipt>(TestNode.Json))!;
    }

    private static Task<List<DeviceCommandStatus>> CommandsAsync(TestNode node, string deviceId) =>
        node.GetAsync<List<DeviceCommandStatus>>($"/api/devices/{deviceId}/commands");
}
