using System.Text.Json;
using ElderIoT.DeviceSim;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.DeviceSim;

/// <summary>device-sim's load mode against a real node, small.</summary>
public sealed class LoadRunTests
{
    [Fact]
    public async Task ACredentialsFileFromADatabaseSinceDroppedIsNotReusedTheDevicesAreProvisionedAnewAndAllConnect()
    {
        // Found in the cluster benchmark: a second run on the same address reused the first run's
        // credentials file, every device was refused (bad id or secret), and nothing connected.
        await using var node = await TestNode.StartAsync();
        var credentials = Path.Combine(Path.GetTempPath(), $"elderiot-load-test-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(credentials, JsonSerializer.Serialize(Enumerable.Range(0, 5).Select(i => new[] { $"gone-{i}", "secret-of-a-dropped-database" })));
        try
        {
            var options = new SimOptions { Api = node.Http.BaseAddress!, MqttPort = node.MqttPort, Seat = $"seat-{Guid.NewGuid():N}" };
            var load = new LoadOptions
            {
                Devices = 5,
                Hold = TimeSpan.FromSeconds(2),
                Interval = TimeSpan.FromSeconds(1),
                Flood = TimeSpan.FromSeconds(1),
                FloodPublishers = 1,
                LoadFraction = 0,
                SosCount = 1,
                Credentials = credentials,
            };

            var exit = await new LoadRun(options, load, node.Http, new LiveProgress(interactive: false)).RunAsync(CancellationToken.None);

            Assert.Equal(0, exit);
            var written = JsonSerializer.Deserialize<List<string[]>>(await File.ReadAllTextAsync(credentials))!;
            Assert.Equal(5, written.Count);
            Assert.DoesNotContain(written, c => c[0].StartsWith("gone-", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(credentials);
        }
    }
}
