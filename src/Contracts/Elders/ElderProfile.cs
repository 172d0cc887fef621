using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Elders;

/// <summary>Everything a seat needs to know about an elder; the body of the elder record.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Phone">The elder's own phone number, E.164.</param>
/// <param name="Address">Home address as written on a letter.</param>
/// <param name="District">Territory path <c>city/district/street/community</c>; seats are routed by its prefixes.</param>
/// <param name="Location">Home position.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Sex">Sex.</param>
/// <param name="CareLevel">Care level (自理/介助/介护).</param>
/// <param name="Conditions">Known health conditions.</param>
/// <param name="Medications">Current medications.</param>
/// <param name="Language">Language the elder speaks, as a BCP 47 tag (zh-CN, en).</param>
/// <param name="Contacts">Family and emergency contacts, first to call first.</param>
[GenerateSerializer, Immutable]
public sealed record ElderProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Phone,
    [property: Id(2)] string Address,
    [property: Id(3)] string District,
    [property: Id(4)] GeoPosition? Location,
    [property: Id(5)] DateOnly? BirthDate,
    [property: Id(6)] Sex? Sex,
    [property: Id(7)] CareLevel? CareLevel,
    [property: Id(8)] IReadOnlyList<string> Conditions,
    [property: Id(9)] IReadOnlyList<string> Medications,
    [property: Id(10)] string Language,
    [property: Id(11)] IReadOnlyList<Contact> Contacts);

/// <summary>A family or emergency contact.</summary>
[GenerateSerializer, Immutable]
public sealed record Contact(
    [property: Id(0)] string Name,
    [property: Id(1)] string Relation,
    [property: Id(2)] string Phone,
    [property: Id(3)] string Language);

/// <summary>Sex as recorded in the elder record.</summary>
public enum Sex
{
    /// <summary>Female.</summary>
    Female,

    /// <summary>Male.</summary>
    Male,
}

/// <summary>Care level: 自理 self-care, 介助 assisted, 介护 nursing.</summary>
public enum CareLevel
{
    /// <summary>自理: lives independently.</summary>
    SelfCare,

    /// <summary>介助: needs help with some daily tasks.</summary>
    Assisted,

    /// <summary>介护: needs nursing care.</summary>
    Nursing,
}
