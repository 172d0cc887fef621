using System.Diagnostics.Metrics;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;

namespace ElderIoT.Grains.Devices;

/// <summary>Device command counters (meter <c>ElderIoT.DeviceCommands</c>).</summary>
public sealed class DeviceCommandMetrics
{
    public const string MeterName = "ElderIoT.DeviceCommands";

    private readonly Counter<long> _commands;
    private readonly Counter<long> _ended;

    public DeviceCommandMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _commands = meter.CreateCounter<long>("elderiot.device_commands.accepted", description: "Commands put in a device's outbox, by delivery (sent now or queued).");
        _ended = meter.CreateCounter<long>("elderiot.device_commands.ended", description: "Commands that left a device's outbox, by reason (delivered, expired, dropped).");
    }

    public void Accepted(DeviceCommandDelivery delivery) => _commands.Add(1, new KeyValuePair<string, object?>("delivery", delivery.ToSnakeCase()));

    public void Ended(DeviceCommandState state) => _ended.Add(1, new KeyValuePair<string, object?>("reason", state.ToSnakeCase()));
}
