using ElderIoT.Contracts.Devices;
using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Pipeline;
using ElderIoT.Tests.EndToEnd;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace ElderIoT.Tests.Durability;

/// <summary>A disk so slow that a telemetry fsync does not finish: alarms must not wait behind it.</summary>
[Collection(NodeCollection.Name)]
public sealed class SlowDiskTests
{
    [Fact]
    public async Task AnSosIsAcknowledgedAndOfferedWhileTheTelemetryLogHangsOnItsFsync()
    {
        var wal = new GatedTelemetryWal();
        await using var node = await TestNode.StartAsync(services: wal.AddTo);
        var seatId = $"seat-{Guid.NewGuid():N}";
        var district = $"南京市/慢盘区{Guid.NewGuid():N}";
        await node.PostAsync<object>($"/api/seats/{seatId}/online", new { districts = new[] { district } });
        var (elder, watchDevice) = await node.ElderWithDeviceAsync($"{district}/宁海路街道/颐和路社区");
        var handsetDevice = await node.RegisterDeviceAsync(elder.Id, "handset");
        await using var stream = await SeatStreamReader.OpenAsync(node.Http, seatId);
        await using var watch = await MqttDevice.ConnectAsync(node.MqttPort, watchDevice.Id, watchDevice.Secret);
        await using var handset = await MqttDevice.ConnectAsync(node.MqttPort, handsetDevice.Id, handsetDevice.Secret);

        var telemetry = watch.PublishAsync($"devices/{watchDevice.Id}/telemetry", DiskFullTests.Reading(1));
        await wal.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Another device of the same elder raises the alarm over MQTT, and the watch itself reports a
        // fall to its device grain, which is in the middle of the hanging telemetry call.
        Assert.Equal(MqttClientPublishReasonCode.Success, (await handset.PublishEventAsync(Scenario.SosJson("sos-slow-disk"))).ReasonCode);
        var (change, offer) = await stream.NextAsync((_, n) => n.Alarm.ElderId == elder.Id);
        var fall = await node.Services.GetRequiredService<IGrainFactory>().GetGrain<IDeviceGrain>(watchDevice.Id)
            .ReportEventAsync(new DeviceEvent(watchDevice.Id, "fall-slow-disk", DeviceEventType.Fall, DateTimeOffset.UtcNow, null))
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("offered", change);
        Assert.Equal(offer.Alarm.Id, fall.AlarmId);
        Assert.False(telemetry.IsCompleted, "the reading was acknowledged before it was durable");

        wal.Open();
        Assert.Equal(MqttClientPublishReasonCode.Success, (await telemetry).ReasonCode);
    }

    /// <summary>The node's write-ahead log behind a gate that holds every append until opened.</summary>
    private sealed class GatedTelemetryWal : ITelemetryWal
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITelemetryWal _inner = null!;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<long> RecoveredSegments => _inner.RecoveredSegments;

        public string? LastFailure => _inner.LastFailure;

        public string Directory => _inner.Directory;

        public void AddTo(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(ITelemetryWal));
            services.Add(ServiceDescriptor.Singleton<ITelemetryWal>(sp =>
            {
                _inner = (ITelemetryWal)original.ImplementationFactory!(sp);
                return this;
            }));
        }

        public void Open() => _gate.TrySetResult();

        public async Task<long> AppendAsync(IReadOnlyList<TelemetryEntry> entries, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            return await _inner.AppendAsync(entries, cancellationToken);
        }

        public Task<IReadOnlyList<TelemetryEntry>> ReadSegmentAsync(long segment, CancellationToken cancellationToken) => _inner.ReadSegmentAsync(segment, cancellationToken);

        public void Release(long segment, int count) => _inner.Release(segment, count);
    }
}
