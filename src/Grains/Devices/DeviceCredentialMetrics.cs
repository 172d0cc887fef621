using System.Diagnostics.Metrics;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;

namespace ElderIoT.Grains.Devices;

/// <summary>Device credential counters (meter <c>ElderIoT.DeviceCredentials</c>).</summary>
public sealed class DeviceCredentialMetrics
{
    public const string MeterName = "ElderIoT.DeviceCredentials";

    private readonly Counter<long> _changes;
    private readonly Counter<long> _hashes;

    public DeviceCredentialMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _changes = meter.CreateCounter<long>("elderiot.device_credentials.changed", description: "Changes to a device's access, by reason (secret_rotated, disabled, enabled).");
        _hashes = meter.CreateCounter<long>("elderiot.device_credentials.hashes_upgraded", description: "Stored secret hashes replaced at a good login, by reason (legacy_sha256, iterations).");
    }

    public void Changed(DeviceCredentialChange change) => _changes.Add(1, new KeyValuePair<string, object?>("reason", change.ToSnakeCase()));

    public void HashUpgraded(bool legacy) => _hashes.Add(1, new KeyValuePair<string, object?>("reason", legacy ? "legacy_sha256" : "iterations"));
}
