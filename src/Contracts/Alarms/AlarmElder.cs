using ElderIoT.Contracts.Elders;

namespace ElderIoT.Contracts.Alarms;

/// <summary>
/// The elder as an alarm needs them (whom to text, where to route, what to write), handed over by the
/// elder grain, which holds them in memory: an alarm does not read the elder from the records before
/// the device's PUBACK.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AlarmElder(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Address,
    [property: Id(3)] string District,
    [property: Id(4)] string Language,
    [property: Id(5)] IReadOnlyList<Contact> Contacts);
