using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ElderIoT.Api.Alarms;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Grains.Devices;
using ElderIoT.Records;
using ElderIoT.Tests.EndToEnd;
using ElderIoT.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;

namespace ElderIoT.Tests.Security;

/// <summary>
/// Rotating a device's secret and disabling it, as an installer does with a lost or replaced watch:
/// real MQTT clients on a real node see their sessions end and their old credentials refused.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class DeviceAccessTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task RotatingTheSecretEndsTheLiveSessionAndOnlyTheNewSecretLogsIn(MqttProtocolVersion version)
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        await using var live = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, version);
        var ended = Disconnected(live);

        var rotated = await Node.PostAsync<DeviceRegistration>($"/api/devices/{device.Id}/secret", new { });

        var reason = await ended.WaitAsync(TimeSpan.FromSeconds(20));
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal(MqttClientDisconnectReason.NotAuthorized, reason);
        }

        Assert.NotEqual(device.Secret, rotated.Secret);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await MqttDevice.TryConnectAsync(Node.MqttPort, device.Id, device.Id, device.Secret, version));
        await using var again = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, rotated.Secret, version);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, (await again.PublishEventAsync(Scenario.SosJson("after-rotation"))).ReasonCode);
        var changes = await Node.GetAsync<List<DeviceCredentialChangeEntry>>($"/api/devices/{device.Id}/credential-changes");
        Assert.Equal([DeviceCredentialChange.SecretRotated], changes.Select(c => c.Change));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task ADisabledDeviceLosesItsSessionAndIsRefusedAtConnectUntilEnabled(MqttProtocolVersion version)
    {
        var (_, device) = await Node.ElderWithDeviceAsync();
        await using var live = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, version);
        var ended = Disconnected(live);

        var disabled = await Node.PostAsync<DeviceStatus>($"/api/devices/{device.Id}/disable", new { });

        var reason = await ended.WaitAsync(TimeSpan.FromSeconds(20));
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal(MqttClientDisconnectReason.AdministrativeAction, reason);
        }

        Assert.True(disabled.Disabled);
        // MQTT 5: reason 0x87 (not authorized); 3.1.1: return code 5 (not authorized), which the client reports alike.
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await MqttDevice.TryConnectAsync(Node.MqttPort, device.Id, device.Id, device.Secret, version));

        var enabled = await Node.PostAsync<DeviceStatus>($"/api/devices/{device.Id}/enable", new { });

        Assert.False(enabled.Disabled);
        await using var back = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret, version);
        var changes = await Node.GetAsync<List<DeviceCredentialChangeEntry>>($"/api/devices/{device.Id}/credential-changes");
        Assert.Equal([DeviceCredentialChange.Enabled, DeviceCredentialChange.Disabled], changes.Select(c => c.Change));
    }

    [Fact]
    public async Task AnSosSentAsTheDeviceIsBeingDisabledStillRaisesItsAlarm()
    {
        var (elder, device) = await Node.ElderWithDeviceAsync();
        await using var live = await MqttDevice.ConnectAsync(Node.MqttPort, device.Id, device.Secret);

        // Both at once: the SOS may be handled before, during or after the disable; in none of these
        // may it be dropped because the device is being taken out of service.
        var sos = Task.Run(async () =>
        {
            try
            {
                return (await live.PublishEventAsync(Scenario.SosJson("while-disabling"))).ReasonCode.ToString();
            }
            catch (Exception exception)
            {
                return exception.GetType().Name; // the session ended first: no PUBACK
            }
        });
        using var disable = await Node.Http.PostAsync($"/api/devices/{device.Id}/disable", null);
        var published = await sos;

        disable.EnsureSuccessStatusCode();
        var alarms = await TestNode.EventuallyAsync(
            () => Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}"),
            list => list.Count == 1,
            $"the SOS to raise an alarm (publish: {published})");
        Assert.Equal(AlarmKind.Sos, alarms[0].Alarm.Kind);
    }

    [Fact]
    public async Task AStoredLegacySha256HashStillLogsInAndIsReplacedByASaltedPbkdf2Hash()
    {
        var elder = await Node.CreateElderAsync();
        var id = $"legacy-{Guid.NewGuid():N}"[..20];
        const string Secret = "an-old-secret-from-before-pbkdf2";
        var contexts = Node.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            // As the previous version stored it: a bare SHA-256, base64.
            db.Devices.Add(new DeviceRecord { Id = id, Kind = "watch", ElderId = elder.Id, SecretHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Secret))), RegisteredAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await MqttDevice.TryConnectAsync(Node.MqttPort, id, id, "not-" + Secret));
        await using (var device = await MqttDevice.ConnectAsync(Node.MqttPort, id, Secret))
        {
            Assert.True(device.Client.IsConnected);
        }

        await using (var db = await contexts.CreateDbContextAsync())
        {
            var stored = await db.Devices.Where(d => d.Id == id).Select(d => d.SecretHash).SingleAsync();
            Assert.StartsWith($"pbkdf2-sha256${new DeviceSecretOptions().HashIterations}$", stored);
        }

        await using var again = await MqttDevice.ConnectAsync(Node.MqttPort, id, Secret);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await MqttDevice.TryConnectAsync(Node.MqttPort, id, id, "not-" + Secret));
    }

    [Fact]
    public async Task RotatingOrDisablingAnUnknownDeviceIsNotFound()
    {
        using var rotate = await Node.Http.PostAsync("/api/devices/no-such-device/secret", null);
        using var disable = await Node.Http.PostAsync("/api/devices/no-such-device/disable", null);

        Assert.Equal(HttpStatusCode.NotFound, rotate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, disable.StatusCode);
    }

    private static Task<MqttClientDisconnectReason> Disconnected(MqttDevice device)
    {
        var ended = new TaskCompletionSource<MqttClientDisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.Client.DisconnectedAsync += args =>
        {
            ended.TrySetResult(args.Reason);
            return Task.CompletedTask;
        };
        return ended.Task;
    }
}
