namespace ElderIoT.Contracts.Devices;

/// <summary>Why a well-formed event was refused by the device grain.</summary>
public enum EventRefusalReason
{
    /// <summary>A visit check from a device that is not a responder's own (an elder's watch has no worker to check in).</summary>
    VisitNotResponderDevice,

    /// <summary>A visit check naming an elder who is not registered.</summary>
    VisitUnknownElder,

    /// <summary>A visit check-out while the worker has no open visit at that elder's home.</summary>
    VisitNotOpen,
}

/// <summary>A refusal of an event that was read: its reason (the counter's tag) and the text the device is sent.</summary>
[GenerateSerializer, Immutable]
public sealed record EventRefusal(
    [property: Id(0)] EventRefusalReason Reason,
    [property: Id(1)] string Detail);
