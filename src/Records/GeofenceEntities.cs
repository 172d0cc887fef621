using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Records;

/// <summary>One zone of one elder; geometry as GeoJSON text (WGS-84). Written by the elder grain.</summary>
public sealed class GeofenceRecord
{
    public Guid Id { get; set; }
    public Guid ElderId { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public bool IsHome { get; set; }
    public required string Geometry { get; set; }
    public double? Radius { get; set; }

    /// <summary>Days of the schedule as snake_case words; empty with null minutes means always.</summary>
    public List<string> ScheduleDays { get; set; } = [];
    public int? ScheduleFromMinute { get; set; }
    public int? ScheduleToMinute { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An elder's own wandering-rule settings; absent fields take the configured defaults. Written by the elder grain.</summary>
public sealed class GeofenceSettingsRecord
{
    public Guid ElderId { get; set; }
    public string? TimeZone { get; set; }
    public int? ConfirmFixes { get; set; }
    public TimeSpan? ConfirmAfter { get; set; }
    public double? Margin { get; set; }
    public double? MaxAccuracy { get; set; }
}

/// <summary>A responder (community staff, volunteer, service provider, care worker). Written by the responder grain.</summary>
public sealed class ResponderRecord
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public string? Phone { get; set; }
    public bool Available { get; set; }
    public double? HomeLat { get; set; }
    public double? HomeLon { get; set; }
    public double? LiveLat { get; set; }
    public double? LiveLon { get; set; }
    public double? LiveAccuracy { get; set; }
    public DateTimeOffset? LiveAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A care worker's home visit (002: time, place, process). Written by the elder grain.</summary>
public sealed class VisitRecord
{
    public Guid Id { get; set; }
    public Guid ElderId { get; set; }
    public required string WorkerId { get; set; }
    public DateTimeOffset CheckInAt { get; set; }
    public double? CheckInLat { get; set; }
    public double? CheckInLon { get; set; }
    public double? CheckInAccuracy { get; set; }
    public required string CheckInPlace { get; set; }
    public DateTimeOffset? CheckOutAt { get; set; }
    public double? CheckOutLat { get; set; }
    public double? CheckOutLon { get; set; }
    public double? CheckOutAccuracy { get; set; }
    public string? CheckOutPlace { get; set; }

    /// <summary>The worker's own device the check-in came from over MQTT; null for REST.</summary>
    public string? CheckInDeviceId { get; set; }

    /// <summary>The worker's own device the check-out came from over MQTT; null for REST.</summary>
    public string? CheckOutDeviceId { get; set; }
}

/// <summary>The geofence part of the model, kept beside its entities.</summary>
internal static class GeofenceModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<GeofenceRecord>(fence =>
        {
            fence.Property(f => f.Name).HasMaxLength(100);
            fence.HasIndex(f => f.ElderId);
        });
        modelBuilder.Entity<GeofenceSettingsRecord>().HasKey(s => s.ElderId);
        modelBuilder.Entity<ResponderRecord>(responder =>
        {
            responder.Property(r => r.Id).HasMaxLength(64);
            responder.HasIndex(r => r.Available);
        });
        modelBuilder.Entity<VisitRecord>(visit =>
        {
            visit.HasIndex(v => new { v.ElderId, v.CheckInAt });
            visit.HasIndex(v => v.CheckInAt);
            visit.Property(v => v.CheckInDeviceId).HasMaxLength(64);
            visit.Property(v => v.CheckOutDeviceId).HasMaxLength(64);
        });
    }
}
