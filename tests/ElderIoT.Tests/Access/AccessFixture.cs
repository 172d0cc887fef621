using ElderIoT.Api.Alarms;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Access;

/// <summary>
/// One node for the access tests, with an elder in <see cref="District"/>, their watch, and an open
/// SOS alarm: the records every scoped endpoint is called on.
/// </summary>
public sealed class AccessFixture : IAsyncLifetime
{
    public const string District = "南京市/秦淮区/夫子庙街道/贡院社区";

    public TestNode Node { get; private set; } = null!;

    public ElderResponse Elder { get; private set; } = null!;

    public DeviceRegistration Device { get; private set; } = null!;

    public Guid AlarmId { get; private set; }

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        (Elder, Device) = await Node.ElderWithDeviceAsync(District);
        await using var watch = await MqttDevice.ConnectAsync(Node.MqttPort, Device.Id, Device.Secret);
        Assert.True((await watch.PublishEventAsync(Scenario.SosJson("access-sos"))).IsSuccess);
        AlarmId = Assert.Single(await Node.GetAsync<List<AlarmListItem>>($"/api/alarms?elderId={Elder.Id}")).Alarm.Id;
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
