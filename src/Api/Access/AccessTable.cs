namespace ElderIoT.Api.Access;

/// <summary>Which record of a request decides whether a caller with the right role may reach it.</summary>
public enum AccessScope
{
    /// <summary>The role is enough.</summary>
    None,

    /// <summary>An elder (route <c>id</c>): a seat only while handling that elder's alarm.</summary>
    Elder,

    /// <summary>An alarm (route <c>id</c>, or query <c>alarmId</c>): a seat only when it was offered the alarm or holds it; without one (a list across alarms) supervisors and admins only.</summary>
    Alarm,

    /// <summary>A device (route <c>id</c>): a seat only while handling its elder's alarm.</summary>
    Device,

    /// <summary>A seat (route <c>seatId</c>): a seat only itself.</summary>
    Seat,
}

/// <summary>How one endpoint is reached: the policy (roles), the scope, and the audit word of a read of personal data.</summary>
public sealed record EndpointAccess(string Policy, AccessScope Scope = AccessScope.None, string? Audit = null);

/// <summary>
/// The endpoint × role table, by endpoint name: the one place access is declared for the API group
/// (docs/security.md, "Access control and privacy", shows the same table). A new endpoint gets a row
/// here, or <c>AllowAnonymous</c>/<c>RequireAuthorization</c> of its own: the endpoint table test
/// fails on any endpoint that declares neither.
/// </summary>
public static class AccessTable
{
    public static IReadOnlyDictionary<string, EndpointAccess> Endpoints { get; } = new Dictionary<string, EndpointAccess>
    {
        // Elder records.
        ["CreateElder"] = new(AccessPolicies.Supervision),
        ["ListElders"] = new(AccessPolicies.Supervision, Audit: "elder_list"),
        ["GetElder"] = new(AccessPolicies.AlarmWork, AccessScope.Elder, "elder"),
        ["UpdateElder"] = new(AccessPolicies.Supervision, AccessScope.Elder),
        ["GetElderConsent"] = new(AccessPolicies.Supervision, AccessScope.Elder),
        ["SetElderConsent"] = new(AccessPolicies.Supervision, AccessScope.Elder),

        // History: health data and positions.
        ["ElderPositions"] = new(AccessPolicies.AlarmWork, AccessScope.Elder, "positions"),
        ["ElderPositionsGeoJson"] = new(AccessPolicies.AlarmWork, AccessScope.Elder, "positions"),
        ["ElderVitals"] = new(AccessPolicies.AlarmWork, AccessScope.Elder, "vitals"),
        ["ElderEvents"] = new(AccessPolicies.AlarmWork, AccessScope.Elder, "events"),
        ["DeviceTelemetry"] = new(AccessPolicies.AlarmWork, AccessScope.Device, "telemetry"),

        // Alarms.
        ["ListAlarms"] = new(AccessPolicies.AlarmWork, Audit: "alarm_list"),
        ["GetAlarm"] = new(AccessPolicies.AlarmWork, AccessScope.Alarm, "alarm"),
        ["AcceptAlarm"] = new(AccessPolicies.AlarmWork, AccessScope.Alarm),
        ["ResolveAlarm"] = new(AccessPolicies.AlarmWork, AccessScope.Alarm),
        ["AddAlarmNote"] = new(AccessPolicies.AlarmWork, AccessScope.Alarm),
        ["ListNotifications"] = new(AccessPolicies.AlarmWork, AccessScope.Alarm, "notifications"),

        // Call-backs (回访): a seat lists and completes those of its districts (checked by the endpoints).
        ["ListCallbacks"] = new(AccessPolicies.AlarmWork, Audit: "callback_list"),
        ["RecordCallbackResult"] = new(AccessPolicies.AlarmWork),

        // Seats.
        ["SeatOnline"] = new(AccessPolicies.AlarmWork, AccessScope.Seat),
        ["SeatOffline"] = new(AccessPolicies.AlarmWork, AccessScope.Seat),
        ["GetSeat"] = new(AccessPolicies.AlarmWork, AccessScope.Seat),
        ["SeatStream"] = new(AccessPolicies.AlarmWork, AccessScope.Seat, "seat_stream"),
        ["ListSeats"] = new(AccessPolicies.Supervision),

        // The centre's settings a screen needs (time zone, languages): nothing personal.
        ["GetCentre"] = new(AccessPolicies.SignedIn),

        // Devices.
        ["RegisterDevice"] = new(AccessPolicies.Installation),
        ["GetDevice"] = new(AccessPolicies.DeviceWork, AccessScope.Device, "device"),
        ["SendDeviceCommand"] = new(AccessPolicies.DeviceWork, AccessScope.Device),
        ["ListDeviceCommands"] = new(AccessPolicies.DeviceWork, AccessScope.Device),
        ["RotateDeviceSecret"] = new(AccessPolicies.Installation),
        ["DisableDevice"] = new(AccessPolicies.Installation),
        ["EnableDevice"] = new(AccessPolicies.Installation),
        ["ListDeviceCredentialChanges"] = new(AccessPolicies.Installation),

        // Geofences and locating.
        ["ListGeofences"] = new(AccessPolicies.AlarmWork, AccessScope.Elder, "geofences"),
        ["GetGeofence"] = new(AccessPolicies.AlarmWork, AccessScope.Elder, "geofences"),
        ["CreateGeofence"] = new(AccessPolicies.Supervision, AccessScope.Elder),
        ["ReplaceGeofence"] = new(AccessPolicies.Supervision, AccessScope.Elder),
        ["DeleteGeofence"] = new(AccessPolicies.Supervision, AccessScope.Elder),
        ["GetGeofenceSettings"] = new(AccessPolicies.AlarmWork, AccessScope.Elder),
        ["SetGeofenceSettings"] = new(AccessPolicies.Supervision, AccessScope.Elder),
        ["LocateElder"] = new(AccessPolicies.AlarmWork, AccessScope.Elder, "locate"),

        // Responders and visits.
        ["RegisterResponder"] = new(AccessPolicies.Supervision),
        ["ResponderPosition"] = new(AccessPolicies.Supervision),
        ["ResponderAvailability"] = new(AccessPolicies.Supervision),
        ["RegisterResponderDevice"] = new(AccessPolicies.Supervision),
        ["NearestResponders"] = new(AccessPolicies.AlarmWork),
        ["CheckInVisit"] = new(AccessPolicies.Supervision),
        ["CheckOutVisit"] = new(AccessPolicies.Supervision),
        ["ListVisits"] = new(AccessPolicies.Supervision, Audit: "visit_list"),

        // Reports and care broadcasts: the supervisors' work.
        ["ServiceLevelReport"] = new(AccessPolicies.Supervision),
        ["PreviewBroadcast"] = new(AccessPolicies.Supervision),
        ["StartBroadcast"] = new(AccessPolicies.Supervision),
        ["ListBroadcasts"] = new(AccessPolicies.Supervision),
        // One broadcast lists each recipient (elder id, phone): a read of elders' data.
        ["GetBroadcast"] = new(AccessPolicies.Supervision, Audit: "broadcast_recipients"),
        // Detection rules: an elder's vitals limits (health data), a device's interval, mass outages.
        ["GetVitalThresholds"] = new(AccessPolicies.AlarmWork, AccessScope.Elder, "vital_thresholds"),
        ["SetVitalThresholds"] = new(AccessPolicies.Supervision, AccessScope.Elder),
        ["SetDeviceSupervision"] = new(AccessPolicies.Installation, AccessScope.Device),
        ["ListOutages"] = new(AccessPolicies.Supervision),

        // People.
        ["GetMe"] = new(AccessPolicies.SignedIn),
        ["CreateUser"] = new(AccessPolicies.Admin),
        ["ListUsers"] = new(AccessPolicies.Admin),
        ["UpdateUser"] = new(AccessPolicies.Admin),
        ["ListAudit"] = new(AccessPolicies.Admin),
        ["FamilyElder"] = new(AccessPolicies.Family),
    };
}
