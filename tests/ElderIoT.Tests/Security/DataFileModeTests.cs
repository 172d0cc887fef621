using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Security;

/// <summary>The data folder of a fresh node holds health data and positions: the service user alone may read it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFileModeTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task EveryFolderAndFileAFreshNodeWritesIsReadableByItsUserOnly()
    {
        var dataDirectory = Path.Combine(RepoPaths.TempDirectory("modes"), "data");
        await using (var node = await TestNode.StartAsync(dataDirectory: dataDirectory))
        {
            var (_, device) = await node.ElderWithDeviceAsync();
            await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
            // A reading acknowledged only once durable: the write-ahead log and the telemetry store have it.
            await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""{"ts":"{{DateTimeOffset.UtcNow:O}}","battery":80,"hr":72}""");
            await watch.PublishEventAsync(Scenario.SosJson("modes"));
        }

        var directories = Directory.GetDirectories(dataDirectory, "*", SearchOption.AllDirectories).Prepend(dataDirectory).ToList();
        var files = Directory.GetFiles(dataDirectory, "*", SearchOption.AllDirectories);

        Assert.Contains(files, f => Path.GetFileName(f) == "elderiot.db");
        Assert.Contains(files, f => Path.GetFileName(f) == "telemetry.db");
        Assert.True(directories.Count >= 3, string.Join(", ", directories)); // the folder, the write-ahead log's, the spool's
        Assert.All(directories, d => Assert.True(File.GetUnixFileMode(d) == OwnerOnlyDirectory, $"{d}: {File.GetUnixFileMode(d)}"));
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == OwnerOnlyFile, $"{f}: {File.GetUnixFileMode(f)}"));
    }
}
