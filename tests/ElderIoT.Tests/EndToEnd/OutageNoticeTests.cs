using ElderIoT.Contracts.Seats;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>A mass outage of a seat's districts reaches the seat's stream: declared, in progress for a screen that connects later, cleared.</summary>
[Trait(TestRecords.Trait, TestRecords.Relational)]
public sealed class OutageNoticeTests
{
    [Fact]
    public async Task TheSeatOfTheDistrictIsToldWhenAnOutageIsDeclaredAndWhenItIsCleared()
    {
        await using var node = await TestNode.StartAsync(new Dictionary<string, string?>
        {
            ["AlarmRules:ReportEvery:Watch"] = "00:00:02",
            ["AlarmRules:SweepInterval"] = "00:00:00.250",
            ["AlarmRules:Outage:Window"] = "00:00:05",
            ["AlarmRules:Outage:MinDevices"] = "3",
        });
        var scope = $"南京市/停电区{Guid.NewGuid():N}"[..16];
        var seat = $"seat-{Guid.NewGuid():N}";
        // The seat serves a street of the district: the outage of the whole district concerns it too.
        using var asSeat = node.AsSeat(seat, $"{scope}/街道");
        await node.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { $"{scope}/街道" } });
        await using var screen = await SeatStreamReader.OpenAsync(asSeat.Http, seat);
        var devices = new List<Contracts.Devices.DeviceRegistration>();
        for (var i = 0; i < 3; i++)
        {
            devices.Add((await node.ElderWithDeviceAsync($"{scope}/街道/社区{i}")).Device);
        }

        await Task.WhenAll(devices.Select(SpeakOnceAsync));

        // The records learn the last-seen time within the snapshot writer's flush (10 s); the sweep then finds all three.
        var declared = await screen.NextDataAsync("outage", d => d.GetProperty("change").GetString() == "declared", TimeSpan.FromSeconds(60));
        await using var later = await SeatStreamReader.OpenAsync(asSeat.Http, seat);
        var inProgress = await later.NextDataAsync("outage");
        await using var back = new AsyncDisposables(await Task.WhenAll(devices.Select(ConnectAndSpeakAsync)));
        var cleared = await screen.NextDataAsync("outage", d => d.GetProperty("change").GetString() == "cleared", TimeSpan.FromSeconds(30));

        Assert.Equal(scope, declared.GetProperty("district").GetString());
        Assert.Equal(3, declared.GetProperty("silentDevices").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.String, declared.GetProperty("since").ValueKind);
        Assert.Equal(declared.GetProperty("outageId").GetGuid(), inProgress.GetProperty("outageId").GetGuid());
        Assert.Equal("declared", inProgress.GetProperty("change").GetString());
        Assert.Equal(declared.GetProperty("outageId").GetGuid(), cleared.GetProperty("outageId").GetGuid());
        Assert.Equal(0, cleared.GetProperty("silentDevices").GetInt32());
        Assert.Equal(3, cleared.GetProperty("peak").GetInt32());

        async Task SpeakOnceAsync(Contracts.Devices.DeviceRegistration device)
        {
            await using var watch = await ConnectAndSpeakAsync(device);
        }

        async Task<MqttDevice> ConnectAndSpeakAsync(Contracts.Devices.DeviceRegistration device)
        {
            var watch = await MqttDevice.ConnectAsync(node.MqttPort, device.Id, device.Secret);
            await watch.PublishAsync($"devices/{device.Id}/telemetry", $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"battery":80}""");
            return watch;
        }
    }

    private sealed class AsyncDisposables(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var item in items)
            {
                await item.DisposeAsync();
            }
        }
    }
}
