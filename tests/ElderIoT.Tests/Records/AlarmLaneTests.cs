using System.Diagnostics;
using System.Net.Http.Json;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Records;
using ElderIoT.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using Npgsql;
using Xunit.Abstractions;

namespace ElderIoT.Tests.Records;

/// <summary>
/// An alarm never waits behind telemetry for a connection (docs/deployment.md, "Connection budget"):
/// on PostgreSQL the alarm path has a pool of its own, so a main pool that telemetry-driven work has
/// exhausted (rule loads, device activations, snapshots: the 100 000-device benchmark) does not hold
/// an SOS. Each test runs a node on a database of its own with a main pool of four connections and
/// takes all four from the test, as a connect storm would.
/// </summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class AlarmLaneTests(ITestOutputHelper output)
{
    private const int MainPoolSize = 4;

    // Far longer than the test waits for anything: whatever still took a main-pool connection on the
    // alarm path would wait this long, not fail fast and be let through (a failed user check degrades).
    private const int MainPoolTimeoutSeconds = 600;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [PostgresOnlyFact]
    public async Task WithTheMainPoolExhaustedAnSosIsAcknowledgedStoredOfferedAndAccepted()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var node = await StartNodeAsync(database);
        var seatId = $"seat-{Guid.NewGuid():N}";
        var district = $"南京市/泳道区{Guid.NewGuid():N}";
        await node.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { district } });
        var (elder, device) = await node.ElderWithDeviceAsync($"{district}/宁海路街道/颐和路社区");
        await using var stream = await SeatStreamReader.OpenAsync(node.Http, seatId);
        using var seat = node.AsSeat(seatId, district);
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);

        await using var held = await MainPoolHeld.TakeAllAsync(node);
        var exhausted = Stopwatch.StartNew();
        // Telemetry first, as in the storm: its vitals go to the elder's rules, whose settings cannot
        // load now; that must not hold the elder (and the SOS behind it) for the pool's timeout.
        var reading = await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"hr":80,"battery":90}""").WaitAsync(Patience);
        Assert.Equal(MqttClientPublishReasonCode.Success, reading.ReasonCode);
        var ack = await watch.PublishEventAsync(Scenario.SosJson("lane-1")).WaitAsync(Patience);

        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        var (eventName, offer) = await stream.NextAsync((_, n) => n.Alarm.ElderId == elder.Id, Patience);
        Assert.Equal("offered", eventName);
        output.WriteLine($"SOS acknowledged and offered {exhausted.ElapsedMilliseconds} ms after the main pool was exhausted");
        await using (var outside = OutsideContext(database))
        {
            var stored = await outside.Alarms.AsNoTracking().SingleAsync(a => a.ElderId == elder.Id);
            Assert.Equal(offer.Alarm.Id, stored.Id);
            Assert.True(await outside.DeviceEvents.AnyAsync(e => e.DeviceId == device.Id && e.EventId == "lane-1"), "the SOS event is stored");
        }

        using var accepted = await seat.Http.PostAsync($"/api/alarms/{offer.Alarm.Id}/accept", null).WaitAsync(Patience);
        accepted.EnsureSuccessStatusCode();
        Assert.Equal(AlarmStatus.Accepted, (await accepted.Content.ReadFromJsonAsync<AlarmSnapshot>(TestNode.Json))!.Status);
        output.WriteLine($"accepted {exhausted.ElapsedMilliseconds} ms after the main pool was exhausted");
        Assert.True(held.StillHeld, "the main pool was exhausted all along");
    }

    [PostgresOnlyFact]
    public async Task AfterAnSosTheAlarmLaneIsVisibleInPgStatActivityUnderItsOwnApplicationName()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var node = await StartNodeAsync(database);
        var (_, device) = await node.ElderWithDeviceAsync();
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);

        var ack = await watch.PublishEventAsync(Scenario.SosJson("lane-visible"));

        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.SharedServer);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND application_name = @app", connection);
        query.Parameters.AddWithValue("db", database.Name);
        query.Parameters.AddWithValue("app", AlarmRecords.ApplicationName);
        Assert.True((long)(await query.ExecuteScalarAsync())! > 0, $"a connection named {AlarmRecords.ApplicationName} to the node's database");
    }

    private static Task<TestNode> StartNodeAsync(PostgresTestDatabase database) => TestNode.StartAsync(new Dictionary<string, string?>
    {
        [TestRecords.ConnectionStringKey] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = MainPoolSize, Timeout = MainPoolTimeoutSeconds }.ConnectionString,
    });

    /// <summary>A context on a pool of the test's own (another connection string): reads while the node's pools are busy.</summary>
    private static ElderIoTDbContext OutsideContext(PostgresTestDatabase database)
    {
        var options = new DbContextOptionsBuilder<ElderIoTDbContext>();
        options.UsePostgresRecords(database.ConnectionString);
        return new(options.Options);
    }

    /// <summary>Every connection of the node's main pool, open and held by the test until disposed.</summary>
    private sealed class MainPoolHeld : IAsyncDisposable
    {
        private readonly List<ElderIoTDbContext> _contexts = [];

        public bool StillHeld => _contexts.Count == MainPoolSize && _contexts.All(c => c.Database.GetDbConnection().State == System.Data.ConnectionState.Open);

        public static async Task<MainPoolHeld> TakeAllAsync(TestNode node)
        {
            var factory = node.Services.GetRequiredService<IDbContextFactory<ElderIoTDbContext>>();
            var held = new MainPoolHeld();
            for (var i = 0; i < MainPoolSize; i++)
            {
                var db = await factory.CreateDbContextAsync();
                held._contexts.Add(db);
                await db.Database.OpenConnectionAsync();
            }

            // One more cannot be had: the pool is exhausted, as in the benchmark.
            await using var more = await factory.CreateDbContextAsync();
            using var shortWait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<Exception>(() => more.Database.OpenConnectionAsync(shortWait.Token));
            return held;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var db in _contexts)
            {
                await db.DisposeAsync();
            }
        }
    }
}
