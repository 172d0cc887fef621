using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Records;

namespace ElderIoT.Grains.Geofences;

/// <summary>Between the geofence, settings and visit records and their contracts.</summary>
internal static class GeofenceRecords
{
    public static GeofenceDefinition ToDefinition(this GeofenceRecord r) => new(
        r.Id, r.Name, EnumNames.ParseSnakeCase<GeofenceKind>(r.Kind), r.IsHome, r.Geometry, r.Radius,
        r.ScheduleFromMinute is { } from && r.ScheduleToMinute is { } to
            ? new GeofenceSchedule([.. r.ScheduleDays.Select(Enum.Parse<DayOfWeek>)], from, to)
            : null);

    public static void Apply(this GeofenceRecord r, GeofenceDefinition d)
    {
        r.Name = d.Name;
        r.Kind = d.Kind.ToSnakeCase();
        r.IsHome = d.IsHome;
        r.Geometry = d.Geometry;
        r.Radius = d.Radius;
        r.ScheduleDays = d.Schedule is { } s ? [.. s.Days.Select(day => day.ToString())] : [];
        r.ScheduleFromMinute = d.Schedule?.FromMinute;
        r.ScheduleToMinute = d.Schedule?.ToMinute;
    }

    public static GeofenceSettingsOverride ToOverride(this GeofenceSettingsRecord r) =>
        new(r.TimeZone, r.ConfirmFixes, r.ConfirmAfter, r.Margin, r.MaxAccuracy);

    public static VisitSnapshot ToSnapshot(this VisitRecord v) => new(
        v.Id, v.ElderId, v.WorkerId, v.CheckInAt,
        Position(v.CheckInLat, v.CheckInLon, v.CheckInAccuracy),
        EnumNames.ParseSnakeCase<VisitPlace>(v.CheckInPlace),
        v.CheckOutAt,
        Position(v.CheckOutLat, v.CheckOutLon, v.CheckOutAccuracy),
        v.CheckOutPlace is null ? null : EnumNames.ParseSnakeCase<VisitPlace>(v.CheckOutPlace),
        v.CheckInDeviceId,
        v.CheckOutDeviceId);

    private static GeoPosition? Position(double? lat, double? lon, double? acc) =>
        lat is { } la && lon is { } lo ? new GeoPosition(la, lo, acc) : null;
}
