using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;

namespace ElderIoT.Api.Alarms;

/// <summary>An alarm in a list, with whose it is.</summary>
public sealed record AlarmListItem(AlarmSnapshot Alarm, string ElderName);

/// <summary>One alarm with its timeline and the elder card a seat works from.</summary>
public sealed record AlarmDetailResponse(AlarmSnapshot Alarm, IReadOnlyList<AlarmTimelineEntry> Timeline, ElderCard Elder)
{
    /// <summary>The available responders nearest the elder's last known position (就近服务), so a seat can send the closest.</summary>
    public IReadOnlyList<Geofences.NearbyResponder> NearestResponders { get; init; } = [];
}

/// <summary>
/// What pops up on a seat's screen (000 §六(七)): who the elder is, their health, their contacts in
/// the order to call them, and where they are now.
/// </summary>
public sealed record ElderCard(ElderResponse Profile, int? Age, LastKnownPosition? LastKnownPosition, IReadOnlyList<DeviceStatus> Devices);

/// <summary>The freshest position known: from a device's latest fix, or from the alarm event itself.</summary>
public sealed record LastKnownPosition(GeoPosition Position, DateTimeOffset? At, string Source);

/// <summary>The body of POST /api/alarms/{id}/resolve; the seat is the signed-in one.</summary>
public sealed record ResolveAlarmRequest(string? Outcome, string? Notes = null);

/// <summary>The body of POST /api/alarms/{id}/notes; the author is the signed-in seat (or user).</summary>
/// <param name="Text">The note, 1 to 2000 characters once trimmed.</param>
public sealed record AddAlarmNoteRequest(string? Text);
