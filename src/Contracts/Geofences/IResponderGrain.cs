using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Geofences;

/// <summary>Who a responder is (就近服务: the nearest suitable person is sent).</summary>
public enum ResponderKind
{
    /// <summary>Community (居委会/社区) staff.</summary>
    CommunityStaff,

    /// <summary>A volunteer or neighbour.</summary>
    Volunteer,

    /// <summary>A service provider's staff (服务商).</summary>
    ServiceProvider,

    /// <summary>A home-care worker who makes visits.</summary>
    CareWorker,
}

/// <summary>A responder's record as registered.</summary>
[GenerateSerializer, Immutable]
public sealed record ResponderProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] ResponderKind Kind,
    [property: Id(2)] string? Phone,
    [property: Id(3)] GeoPosition? Home,
    [property: Id(4)] bool Available);

/// <summary>One responder, keyed by responder id: the single writer of its record.</summary>
public interface IResponderGrain : IGrainWithStringKey
{
    /// <summary>Registers or replaces the responder's profile.</summary>
    Task RegisterAsync(ResponderProfile profile);

    /// <summary>A live position (from the responder's phone or device).</summary>
    /// <exception cref="KeyNotFoundException">Not registered.</exception>
    Task ReportPositionAsync(GeoPosition position, DateTimeOffset at);

    /// <summary>On or off duty.</summary>
    Task SetAvailableAsync(bool available);

    /// <summary>Whether the responder is registered.</summary>
    Task<bool> ExistsAsync();
}
