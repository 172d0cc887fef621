using System.Collections.Concurrent;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MQTTnet;
using MQTTnet.Protocol;

namespace ElderIoT.Tests.Cluster;

/// <summary>Three real nodes behind HAProxy; one is killed with SIGKILL while devices publish through it.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class NodeKilledBehindLoadBalancerTests
{
    private const int Devices = 12;

    [Fact]
    public async Task DevicesOfAKilledNodeReconnectThroughTheLoadBalancerAndNoAcknowledgedEventIsMissing()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await using var balancer = await LoadBalancer.StartAsync(cluster.Nodes);
        var api = cluster.Nodes[0];
        var elder = await api.PostAsync<ElderResponse>("/api/elders", Scenario.ElderBody());
        var devices = new List<DeviceRegistration>();
        for (var d = 0; d < Devices; d++)
        {
            devices.Add(await api.PostAsync<DeviceRegistration>("/api/devices", new { id = $"lb-{d}-{Guid.NewGuid():N}"[..20], kind = "watch", elderId = elder.Id }));
        }

        using var stop = new CancellationTokenSource();
        var runs = devices.Select(d => new PublishingDevice(d, balancer.MqttPort)).ToList();
        var loops = runs.Select(r => Task.Run(() => r.RunAsync(stop.Token))).ToList();
        try
        {
            await TestNode.EventuallyAsync(() => Task.FromResult(runs.Min(r => r.Acknowledged.Count)), n => n >= 3, "every device to have events acknowledged", TimeSpan.FromSeconds(60));

            // HAProxy spread the devices (leastconn): the killed node holds about a third of them.
            var connectionsBefore = runs.ToDictionary(r => r, r => r.Connections);
            cluster.Nodes[1].KillHard();
            var afterKill = runs.ToDictionary(r => r, r => r.Acknowledged.Count);

            // Every device goes on: each has events acknowledged after the kill, those of the killed node
            // after connecting again, through HAProxy, to a live node.
            await TestNode.EventuallyAsync(
                () => Task.FromResult(runs.Count(r => r.Acknowledged.Count >= afterKill[r] + 3)),
                n => n == Devices, "every device to go on publishing", TimeSpan.FromSeconds(90));
            var reconnected = runs.Count(r => r.Connections > connectionsBefore[r]);
            Assert.True(reconnected >= 2, $"{reconnected} device(s) reconnected: the killed node held too few to tell\n{balancer.Output}");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops);
        }

        // Nothing acknowledged is missing from the records, and nothing is stored twice.
        await using var records = cluster.Servers.OpenRecords();
        var ids = devices.Select(d => d.Id).ToList();
        var stored = await records.DeviceEvents.AsNoTracking().Where(e => ids.Contains(e.DeviceId))
            .Select(e => new { e.DeviceId, e.EventId }).ToListAsync();
        var storedKeys = stored.Select(e => $"{e.DeviceId}/{e.EventId}").ToHashSet();
        var acknowledged = runs.SelectMany(r => r.Acknowledged.Keys.Select(id => $"{r.Id}/{id}")).ToList();
        var missing = acknowledged.Where(key => !storedKeys.Contains(key)).ToList();
        Assert.True(missing.Count == 0, $"acknowledged but not stored: {string.Join(", ", missing)}");
        Assert.Equal(stored.Count, storedKeys.Count);
        Assert.True(acknowledged.Count > Devices * 6, $"only {acknowledged.Count} events acknowledged");
    }

    /// <summary>
    /// A device as firmware does it: a low-battery event at QoS 1 every 100 ms, the same event again
    /// until it is acknowledged, and on a lost connection a new one through the load balancer.
    /// </summary>
    private sealed class PublishingDevice(DeviceRegistration device, int port)
    {
        public string Id => device.Id;

        public ConcurrentDictionary<string, bool> Acknowledged { get; } = new();

        public int Connections { get; private set; }

        public async Task RunAsync(CancellationToken stop)
        {
            var next = 1;
            while (!stop.IsCancellationRequested)
            {
                using var client = new MqttClientFactory().CreateMqttClient();
                try
                {
                    var connect = await client.ConnectAsync(new MqttClientOptionsBuilder()
                        .WithTcpServer("127.0.0.1", port).WithClientId(device.Id).WithCredentials(device.Id, device.Secret)
                        .WithTimeout(TimeSpan.FromSeconds(10)).Build(), stop);
                    if (connect.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        await Task.Delay(200, stop);
                        continue;
                    }

                    Connections++;
                    while (!stop.IsCancellationRequested)
                    {
                        var eventId = next.ToString();
                        var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
                            .WithTopic($"devices/{device.Id}/events")
                            .WithPayload($$"""{"id":"{{eventId}}","type":"low_battery","battery":{{next % 100}}}""")
                            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), stop);
                        if (result.IsSuccess)
                        {
                            Acknowledged[eventId] = true;
                            next++;
                        }

                        await Task.Delay(100, stop);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception)
                {
                    // The node went away (or refused while the cluster settles): connect again.
                    try
                    {
                        await Task.Delay(200, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
    }
}
