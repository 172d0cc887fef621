namespace ElderIoT.Contracts.Geofences;

/// <summary>
/// Where an elder is and may be: their zones, the live judgement of their fixes against them, locate-now
/// and home visits. Implemented by the elder's own grain (same activation as <c>IElderGrain</c>), which
/// owns the zones and raises the alarms.
/// </summary>
public interface IElderLocationGrain : IGrainWithGuidKey
{
    /// <summary>The elder's zones.</summary>
    /// <exception cref="ElderIoT.Contracts.Elders.ElderNotFoundException">No such elder.</exception>
    Task<IReadOnlyList<GeofenceDefinition>> GetGeofencesAsync();

    /// <summary>Adds or replaces a zone (by its id).</summary>
    Task<GeofenceDefinition> SaveGeofenceAsync(GeofenceDefinition fence, bool mustExist);

    /// <summary>Removes a zone.</summary>
    /// <exception cref="GeofenceNotFoundException">No such zone.</exception>
    Task RemoveGeofenceAsync(Guid fenceId);

    /// <summary>The settings in force (configured defaults where the elder has none).</summary>
    Task<GeofenceSettings> GetGeofenceSettingsAsync();

    /// <summary>Replaces the elder's own settings.</summary>
    Task<GeofenceSettings> SetGeofenceSettingsAsync(GeofenceSettingsOverride settings);

    /// <summary>A device's newest fix; judged against the zones. Never on the SOS path.</summary>
    [OneWay]
    Task ReportPositionAsync(PositionFix fix);

    /// <summary>
    /// Sends <c>locate</c> to the elder's devices and waits up to <paramref name="wait"/> for a fix;
    /// interleaves so the fix it waits for can arrive.
    /// </summary>
    [AlwaysInterleave]
    Task<LocateResult> LocateAsync(TimeSpan wait);

    /// <summary>A care worker checks in at the elder's home.</summary>
    Task<VisitSnapshot> CheckInVisitAsync(VisitCheck check);

    /// <summary>The worker checks out of an open visit.</summary>
    /// <exception cref="VisitConflictException">No such open visit.</exception>
    Task<VisitSnapshot> CheckOutVisitAsync(Guid visitId, VisitCheck check);

    /// <summary>
    /// The worker checks out of their open visit at this elder's home (the newest, if several): a
    /// device's check-out names the elder, not the visit.
    /// </summary>
    /// <exception cref="VisitConflictException">The worker has no open visit here.</exception>
    Task<VisitSnapshot> CheckOutOpenVisitAsync(VisitCheck check);
}
