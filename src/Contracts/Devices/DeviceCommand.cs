namespace ElderIoT.Contracts.Devices;

/// <summary>
/// A command for a device as the centre asks for it: a JSON object with a string <c>type</c>. The
/// device's outbox gives it an id and sends it as that object with <c>"id"</c> first.
/// </summary>
/// <param name="Type">What the device is asked to do, e.g. <c>locate</c> or <c>alarm_accepted</c>.</param>
/// <param name="Json">The whole JSON object as sent to the centre (without an <c>id</c>).</param>
/// <param name="TimeToLive">How long it may wait for an offline device; null means the configured default.</param>
[GenerateSerializer, Immutable]
public sealed record DeviceCommand(
    [property: Id(0)] string Type,
    [property: Id(1)] string Json,
    [property: Id(2)] TimeSpan? TimeToLive = null);

/// <summary>What happened to a command when it was handed to the device's outbox.</summary>
public enum DeviceCommandDelivery
{
    /// <summary>The device is connected and subscribed: the command was published to it now (QoS 1); its PUBACK marks it delivered.</summary>
    Sent,

    /// <summary>The device is not reachable now: the command is kept and sent when it subscribes, until it expires.</summary>
    Queued,
}

/// <summary>Where a command stands in its device's outbox.</summary>
public enum DeviceCommandState
{
    /// <summary>Kept for the device; sent whenever it connects and subscribes, until it is acknowledged or expires.</summary>
    Pending,

    /// <summary>The device acknowledged it (PUBACK).</summary>
    Delivered,

    /// <summary>Not acknowledged before it expired; never sent again.</summary>
    Expired,

    /// <summary>Pushed out by newer commands when the device's outbox was full; never sent again.</summary>
    Dropped,
}

/// <summary>The answer to handing a command to a device's outbox.</summary>
/// <param name="CommandId">The id the device sees in the command's <c>id</c> field.</param>
/// <param name="Delivery">Sent now, or queued for later.</param>
/// <param name="ExpiresAt">Until when the command is kept for the device.</param>
/// <param name="DroppedCommandId">The oldest pending command this one pushed out of a full outbox, if any.</param>
[GenerateSerializer, Immutable]
public sealed record DeviceCommandReceipt(
    [property: Id(0)] Guid CommandId,
    [property: Id(1)] DeviceCommandDelivery Delivery,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] Guid? DroppedCommandId);

/// <summary>One command of a device's outbox, as an operator sees it.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceCommandStatus(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DeviceCommandState State,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] int Attempts,
    [property: Id(6)] DateTimeOffset? LastSentAt,
    [property: Id(7)] DateTimeOffset? DeliveredAt);
