using ElderIoT.Contracts.Devices;

namespace ElderIoT.Contracts.Geofences;

/// <summary>A device's newest position, forwarded to its elder.</summary>
/// <param name="DeviceId">The device that reported it.</param>
/// <param name="Position">Where, with the accuracy the device gave.</param>
/// <param name="At">The device's time of the fix.</param>
/// <param name="ReceivedAt">When the centre received it.</param>
[GenerateSerializer, Immutable]
public sealed record PositionFix(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] GeoPosition Position,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] DateTimeOffset ReceivedAt);

/// <summary>How a locate-now request ended.</summary>
public enum LocateStatus
{
    /// <summary>A device answered with a fix after the request.</summary>
    Fresh,

    /// <summary>No answer in time: the last known position, with its age.</summary>
    Stale,

    /// <summary>No answer and no position is known at all.</summary>
    Unknown,
}

/// <summary>The answer to <c>POST /api/elders/{id}/locate</c>.</summary>
/// <param name="Status">Fresh, stale or unknown.</param>
/// <param name="Position">The position, when known.</param>
/// <param name="At">The fix's time.</param>
/// <param name="Age">How old the fix is now (stale answers).</param>
/// <param name="DeviceId">The device the position is from.</param>
/// <param name="AskedDevices">The devices the <c>locate</c> command was sent to.</param>
[GenerateSerializer, Immutable]
public sealed record LocateResult(
    [property: Id(0)] LocateStatus Status,
    [property: Id(1)] GeoPosition? Position,
    [property: Id(2)] DateTimeOffset? At,
    [property: Id(3)] TimeSpan? Age,
    [property: Id(4)] string? DeviceId,
    [property: Id(5)] IReadOnlyList<string> AskedDevices);

/// <summary>A check-in or check-out of a care worker's home visit.</summary>
/// <param name="WorkerId">The care worker (a responder id when made from their device).</param>
/// <param name="Position">Where the worker was.</param>
/// <param name="DeviceId">The worker's own device the check came from over MQTT; null when made over REST.</param>
[GenerateSerializer, Immutable]
public sealed record VisitCheck(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] GeoPosition? Position,
    [property: Id(2)] string? DeviceId = null);

/// <summary>One home visit as the records hold it.</summary>
/// <param name="Id">Visit id.</param>
/// <param name="ElderId">Whose home.</param>
/// <param name="WorkerId">The care worker.</param>
/// <param name="CheckInAt">When checked in.</param>
/// <param name="CheckInPosition">Where the worker was at check-in.</param>
/// <param name="CheckInPlace">Whether that was at the home.</param>
/// <param name="CheckOutAt">When checked out, if yet.</param>
/// <param name="CheckOutPosition">Where at check-out.</param>
/// <param name="CheckOutPlace">Whether that was at the home.</param>
/// <param name="CheckInDeviceId">The worker's device the check-in came from; null when made over REST.</param>
/// <param name="CheckOutDeviceId">The worker's device the check-out came from; null when made over REST (or not yet).</param>
[GenerateSerializer, Immutable]
public sealed record VisitSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ElderId,
    [property: Id(2)] string WorkerId,
    [property: Id(3)] DateTimeOffset CheckInAt,
    [property: Id(4)] GeoPosition? CheckInPosition,
    [property: Id(5)] VisitPlace CheckInPlace,
    [property: Id(6)] DateTimeOffset? CheckOutAt,
    [property: Id(7)] GeoPosition? CheckOutPosition,
    [property: Id(8)] VisitPlace? CheckOutPlace,
    [property: Id(9)] string? CheckInDeviceId = null,
    [property: Id(10)] string? CheckOutDeviceId = null);

/// <summary>Where a visit check was made, judged against the elder's home zone with the accuracy rule.</summary>
public enum VisitPlace
{
    /// <summary>At the home: not decisively outside the home zone.</summary>
    AtHome,

    /// <summary>Decisively outside the home zone: flagged.</summary>
    AwayFromHome,

    /// <summary>No usable position (none, no accuracy, absurd accuracy), or the elder has no home zone: flagged.</summary>
    Unverified,
}

/// <summary>The visit is not open (no such visit, already checked out, or none open for that worker).</summary>
[GenerateSerializer]
public sealed class VisitConflictException(string message) : InvalidOperationException(message);
