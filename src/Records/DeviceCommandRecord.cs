namespace ElderIoT.Records;

/// <summary>
/// One command in a device's outbox: kept from the moment the centre sends it until the device
/// acknowledges it, it expires, or newer commands push it out of a full outbox. Written only by the
/// device's grain, so a command sent while the device is offline survives a restart of the node.
/// </summary>
public sealed class DeviceCommandRecord
{
    public Guid Id { get; set; }
    public required string DeviceId { get; set; }

    /// <summary>Order of sending within the device: pending commands go out oldest first.</summary>
    public long Sequence { get; set; }

    public required string Type { get; set; }

    /// <summary>The JSON object exactly as published to the device, its <c>id</c> included.</summary>
    public required string Payload { get; set; }

    /// <summary><c>pending</c>, <c>delivered</c>, <c>expired</c> or <c>dropped</c>.</summary>
    public required string State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? LastSentAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>When it was recorded as expired or dropped.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}
