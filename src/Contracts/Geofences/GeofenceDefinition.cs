namespace ElderIoT.Contracts.Geofences;

/// <summary>Whether a zone is where the elder should stay, or where they must not go.</summary>
public enum GeofenceKind
{
    /// <summary>Alarm on leaving (the home zone is one): raises <c>wandering</c>.</summary>
    Safe,

    /// <summary>Alarm on entering (a river bank, a main road): raises <c>danger_zone</c>.</summary>
    Danger,
}

/// <summary>
/// One zone of one elder. The geometry is kept as the GeoJSON geometry text it was given (WGS-84,
/// [lon, lat]); a circle is a Point with <see cref="Radius"/>. Validated before it gets here.
/// </summary>
/// <param name="Id">The fence id.</param>
/// <param name="Name">What the family and seats call it ("家", "秦淮河边").</param>
/// <param name="Kind">Safe or danger.</param>
/// <param name="IsHome">The elder's home zone: distances from home and visit check-ins are measured against it.</param>
/// <param name="Geometry">GeoJSON geometry: Polygon, MultiPolygon or Point.</param>
/// <param name="Radius">Metres, for a Point; null otherwise.</param>
/// <param name="Schedule">When the zone applies; null means always.</param>
[GenerateSerializer, Immutable]
public sealed record GeofenceDefinition(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] GeofenceKind Kind,
    [property: Id(3)] bool IsHome,
    [property: Id(4)] string Geometry,
    [property: Id(5)] double? Radius,
    [property: Id(6)] GeofenceSchedule? Schedule);

/// <summary>
/// When a zone applies, in the elder's time zone: on <see cref="Days"/>, from <see cref="FromMinute"/>
/// to <see cref="ToMinute"/> (minutes after midnight). A window whose end is before its start runs
/// across midnight into the next day (22:00–06:00 on Monday covers Monday night to Tuesday 06:00).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GeofenceSchedule(
    [property: Id(0)] IReadOnlyList<DayOfWeek> Days,
    [property: Id(1)] int FromMinute,
    [property: Id(2)] int ToMinute);

/// <summary>How an elder's fixes are judged against their zones; defaults come from configuration.</summary>
/// <param name="TimeZone">IANA time zone of the elder, for schedules.</param>
/// <param name="ConfirmFixes">Consecutive decisive fixes that confirm a crossing.</param>
/// <param name="ConfirmAfter">Or: decisive fixes spanning this long (at least two fixes).</param>
/// <param name="Margin">Metres beyond the fix's accuracy that a crossing must clear.</param>
/// <param name="MaxAccuracy">Fixes with a worse accuracy (metres) are ignored for zones.</param>
[GenerateSerializer, Immutable]
public sealed record GeofenceSettings(
    [property: Id(0)] string TimeZone,
    [property: Id(1)] int ConfirmFixes,
    [property: Id(2)] TimeSpan ConfirmAfter,
    [property: Id(3)] double Margin,
    [property: Id(4)] double MaxAccuracy);

/// <summary>The settings of an elder are replaced whole; a null field keeps the configured default.</summary>
[GenerateSerializer, Immutable]
public sealed record GeofenceSettingsOverride(
    [property: Id(0)] string? TimeZone,
    [property: Id(1)] int? ConfirmFixes,
    [property: Id(2)] TimeSpan? ConfirmAfter,
    [property: Id(3)] double? Margin,
    [property: Id(4)] double? MaxAccuracy);

/// <summary>No such geofence for this elder.</summary>
[GenerateSerializer]
public sealed class GeofenceNotFoundException(Guid elderId, Guid fenceId)
    : KeyNotFoundException($"Elder '{elderId}' has no geofence '{fenceId}'.");
