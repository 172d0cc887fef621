namespace ElderIoT.Contracts.Devices;

/// <summary>
/// The one mass-outage detector of the cluster (key 0): takes the silent devices the supervision sweeps
/// find, tells an outage (many devices of a district silent at once) from devices silent on their own,
/// and raises device_silent only for the latter.
/// </summary>
public interface IOutageGrain : IGrainWithIntegerKey
{
    /// <summary>The silent devices one sweep found, and the number of supervised devices per scope.</summary>
    Task ReportSilentAsync(IReadOnlyList<SilentDevice> silent, IReadOnlyDictionary<string, int> devicesPerScope);

    /// <summary>A device that was silent spoke again.</summary>
    [OneWay]
    Task DeviceBackAsync(string deviceId);

    /// <summary>Outages in progress and the most recent ended ones, newest first.</summary>
    Task<IReadOnlyList<OutageSnapshot>> GetOutagesAsync();
}

/// <summary>A device past its reporting interval: its elder's district, and when it went silent (last seen plus interval).</summary>
[GenerateSerializer, Immutable]
public sealed record SilentDevice([property: Id(0)] string DeviceId, [property: Id(1)] string District, [property: Id(2)] DateTimeOffset SilentAt);

/// <summary>One mass outage as supervisors see it.</summary>
/// <param name="Id">The outage.</param>
/// <param name="Scope">The district prefix it covers (city/district).</param>
/// <param name="StartedAt">When its first device went silent.</param>
/// <param name="EndedAt">When it was over (few enough of its devices still silent); null while it lasts.</param>
/// <param name="Silent">Its devices still silent.</param>
/// <param name="Peak">Most of its devices silent at once.</param>
/// <param name="Back">Its devices that came back.</param>
[GenerateSerializer, Immutable]
public sealed record OutageSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Scope,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset? EndedAt,
    [property: Id(4)] int Silent,
    [property: Id(5)] int Peak,
    [property: Id(6)] int Back);
