using System.Net.Http.Json;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Cluster;

/// <summary>Commands in a cluster of two real nodes: they reach a device on whichever node holds its connection.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class CommandsAcrossNodesTests
{
    /// <summary>Enough devices that their grains land on both nodes, whatever Orleans' placement picks.</summary>
    private const int Devices = 8;

    [Fact]
    public async Task ACommandReachesTheDeviceOnTheNodeHoldingItsConnectionAndAQueuedOneFollowsItToAnotherNode()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        var (api, second) = (cluster.Nodes[0], cluster.Nodes[1]);
        var elder = await api.PostAsync<ElderResponse>("/api/elders", Scenario.ElderBody());
        var devices = new List<DeviceRegistration>();
        for (var d = 0; d < Devices; d++)
        {
            devices.Add(await api.PostAsync<DeviceRegistration>("/api/devices", new { id = $"cmd-{d}-{Guid.NewGuid():N}"[..20], kind = "watch", elderId = elder.Id }));
        }

        // Every device on the second node; every command asked of the first.
        var inboxes = new List<(MqttDevice Device, CommandInbox Inbox)>();
        try
        {
            foreach (var registration in devices)
            {
                var device = await MqttDevice.ConnectAsync(second.MqttPort, registration.Id, registration.Secret);
                inboxes.Add((device, await CommandInbox.OpenAsync(device)));
            }

            foreach (var (device, inbox) in inboxes)
            {
                var receipt = await SendAsync(api, device.Id, "locate");
                Assert.Equal(DeviceCommandDelivery.Sent, receipt.Delivery);
                Assert.Equal("locate", (await inbox.NextAsync()).GetProperty("type").GetString());
            }

            // Offline, a command waits; back on the other node, the device gets it there.
            var (moving, _) = inboxes[0];
            await moving.DisposeAsync();
            var queued = await SendAsync(second, moving.Id, "ring");
            Assert.Equal(DeviceCommandDelivery.Queued, queued.Delivery);
            await using var back = await MqttDevice.ConnectAsync(api.MqttPort, moving.Id, devices[0].Secret);
            var backInbox = await CommandInbox.OpenAsync(back);
            var delivered = await backInbox.NextAsync();
            Assert.Equal("ring", delivered.GetProperty("type").GetString());
            Assert.Equal(queued.CommandId.ToString(), delivered.GetProperty("id").GetString());
        }
        finally
        {
            foreach (var (device, _) in inboxes.Skip(1))
            {
                await device.DisposeAsync();
            }
        }
    }

    private static async Task<DeviceCommandReceipt> SendAsync(NodeProcess node, string deviceId, string type)
    {
        using var response = await node.Http.PostAsJsonAsync($"/api/devices/{deviceId}/commands", new { type }, TestNode.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DeviceCommandReceipt>(TestNode.Json))!;
    }
}
