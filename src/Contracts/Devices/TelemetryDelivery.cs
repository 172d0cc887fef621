namespace ElderIoT.Contracts.Devices;

/// <summary>What the device was promised for its readings, from the MQTT QoS it published them with.</summary>
public enum TelemetryDelivery
{
    /// <summary>QoS 1: the PUBACK says the readings are durable (write-ahead log or store), so the call returns only then.</summary>
    Acknowledged,

    /// <summary>QoS 0: fire and forget; queued in memory, lost if the node dies before their batch is written.</summary>
    FireAndForget,
}
