using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Grains.Geofences;

/// <summary>Composes zones, the wandering rule's defaults and locate-now.</summary>
public static class GeofenceServiceCollectionExtensions
{
    public static IServiceCollection AddElderIoTGeofences(this IServiceCollection services)
    {
        services.AddOptions<GeofenceOptions>().BindConfiguration(GeofenceOptions.SectionName)
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Geofences:TimeZone is not a known time zone.")
            .Validate(o => o.ConfirmFixes >= 1, "Geofences:ConfirmFixes must be at least 1.")
            .Validate(o => o.ConfirmAfter > TimeSpan.Zero, "Geofences:ConfirmAfter must be positive.")
            .Validate(o => o.Margin >= 0, "Geofences:Margin must not be negative.")
            .Validate(o => o.MaxAccuracy > 0, "Geofences:MaxAccuracy must be positive.")
            .Validate(o => o.TrackingReportEvery >= TimeSpan.FromSeconds(1), "Geofences:TrackingReportEvery must be at least 1 s.")
            .Validate(o => o.MaxLocateWait > TimeSpan.Zero && o.MaxLocateWait < TimeSpan.FromSeconds(30), "Geofences:MaxLocateWait must be between 0 and 30 s (Orleans' call timeout).")
            .ValidateOnStart();
        services.AddSingleton<GeofenceMetrics>();
        services.AddSingleton<ElderLocationServices>();
        return services;
    }
}
