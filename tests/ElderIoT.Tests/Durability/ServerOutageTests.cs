using System.Diagnostics;
using System.Net;
using ElderIoT.Records;
using ElderIoT.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace ElderIoT.Tests.Durability;

/// <summary>
/// The servers a production node depends on go away and come back (docs/security.md, "Production
/// data"). Each test runs a server of its own (<see cref="ThrowawayPostgres"/>, <see cref="ThrowawayRedis"/>)
/// and stops it under a running node; the shared test servers are never stopped.
/// </summary>
public sealed class ServerOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WithPostgresStoppedForHalfAMinuteUnderTrafficNothingAcknowledgedIsLostAndTheNodeRecoversByItself()
    {
        await using var server = await ThrowawayPostgres.StartAsync();
        await using var database = await PostgresTestDatabase.CreateAsync(server.ServerConnectionString);
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { [TestRecords.ConnectionStringKey] = database.ConnectionString });
        var (elder, device) = await node.ElderWithDeviceAsync();
        await using var traffic = new DeviceTraffic(node, device.Id, device.Secret);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(await traffic.SendAsync(), "an event while PostgreSQL is up is acknowledged");
        }

        await server.StopServerAsync();
        var unready = await TestNode.EventuallyAsync(() => ReadinessAsync(node), r => r.Status == HttpStatusCode.ServiceUnavailable, "the node to report itself unready");
        Assert.Contains("records", unready.Body, StringComparison.Ordinal);
        var outage = Stopwatch.StartNew();
        var refusedDuringOutage = 0;
        while (outage.Elapsed < Outage)
        {
            // Traffic, paced: a device resends what was not acknowledged, others keep sending new events.
            if (!await traffic.SendAsync())
            {
                refusedDuringOutage++;
            }

            await Task.Delay(200);
        }

        await server.StartServerAsync();
        await TestNode.EventuallyAsync(() => ReadinessAsync(node), r => r.Status == HttpStatusCode.OK, "the node to be ready again by itself", TimeSpan.FromSeconds(60));
        await TestNode.EventuallyAsync(traffic.SendAsync, sent => sent, "an event to be acknowledged again", TimeSpan.FromSeconds(60));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await traffic.SendAsync(), "an event after the outage is acknowledged");
        }

        Assert.True(refusedDuringOutage > 0, "events that could not be stored were not acknowledged");
        await using var db = await node.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>().CreateDbContextAsync();
        var stored = await db.DeviceEvents.Where(e => e.DeviceId == device.Id).Select(e => e.EventId).ToListAsync();
        Assert.Empty(traffic.Acknowledged.Except(stored));
        Assert.True(await db.Alarms.AnyAsync(a => a.ElderId == elder.Id), "the SOS raised an alarm");
    }

    [Fact]
    public async Task ANodeConfiguredWithRedisIsUnreadyWhileRedisIsDownAndReadyAgainWhenItReturns()
    {
        await using var redis = await ThrowawayRedis.StartAsync();
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        await TestNode.EventuallyAsync(() => ReadinessAsync(node), r => r.Status == HttpStatusCode.OK, "the node to be ready with Redis up");

        await redis.StopServerAsync();
        var unready = await TestNode.EventuallyAsync(() => ReadinessAsync(node), r => r.Status == HttpStatusCode.ServiceUnavailable, "the node to report itself unready");
        Assert.Contains("Redis does not answer", unready.Body, StringComparison.Ordinal);

        await redis.StartServerAsync();
        await TestNode.EventuallyAsync(() => ReadinessAsync(node), r => r.Status == HttpStatusCode.OK, "the node to be ready again by itself", TimeSpan.FromSeconds(60));
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(TestNode node)
    {
        using var response = await node.Http.GetAsync("/health/ready");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// One device sending alarm and door events with ids of their own, reconnecting when its connection
    /// drops, and keeping the ids the node acknowledged (PUBACK 0x00): those must all be stored.
    /// </summary>
    private sealed class DeviceTraffic(TestNode node, string deviceId, string secret) : IAsyncDisposable
    {
        private MqttDevice? _device;
        private int _sequence;

        public List<string> Acknowledged { get; } = [];

        public async Task<bool> SendAsync()
        {
            var id = $"outage-{Interlocked.Increment(ref _sequence)}";
            var type = _sequence % 2 == 0 ? "door" : "sos";
            try
            {
                if (_device is not { Client.IsConnected: true })
                {
                    if (_device is not null)
                    {
                        await _device.DisposeAsync();
                    }

                    _device = null;
                    _device = await MqttDevice.ConnectAsync(node.MqttPort, deviceId, secret);
                }

                var result = await _device.PublishEventAsync($$"""{"id":"{{id}}","type":"{{type}}","ts":"{{DateTimeOffset.UtcNow:O}}"}""");
                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    Acknowledged.Add(id);
                    return true;
                }

                return false;
            }
            catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                // No PUBACK (3.1.1-style close, a timeout, a refused login): not acknowledged.
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_device is not null)
            {
                await _device.DisposeAsync();
            }
        }
    }
}
