using ElderIoT.Contracts.Seats;
using ElderIoT.Grains.Alarms;
using ElderIoT.Grains.Broadcasts;
using ElderIoT.Grains.Callbacks;
using ElderIoT.Grains.Devices;
using ElderIoT.Grains.Geofences;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Notifications;
using ElderIoT.Grains.Reports;
using ElderIoT.Grains.Rules;
using ElderIoT.Grains.Seats;
using ElderIoT.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ElderIoT.Grains;

/// <summary>Composes what the grains need inside a silo.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Alarm rules and escalation, notifications (SMS), the domain clock and the deadline sweeper.
    /// Call after the silo is added, so that the sweeper starts once grains can be called.
    /// </summary>
    public static IServiceCollection AddElderIoTGrains(this IServiceCollection services)
    {
        services.TryAddKeyedSingleton(ElderIoTClock.Key, TimeProvider.System);

        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.SectionName)
            .Validate(o => new[] { o.Steps, o.Ladders.High, o.Ladders.Medium, o.Ladders.Low }.All(l => l.All(s => s.After >= TimeSpan.Zero)),
                "Escalation:Steps:*:After and Escalation:Ladders:*:*:After must not be negative.")
            .Validate(o => o.IncidentWindow >= TimeSpan.Zero && o.LateAfter > TimeSpan.Zero, "Escalation:IncidentWindow must not be negative and Escalation:LateAfter must be positive.")
            .Validate(o => o.Maintenance.Recipients.All(r => r.Phone.Length > 0), "Escalation:Maintenance:Recipients:*:Phone is required.")
            .Validate(o => o.SweepInterval > TimeSpan.Zero, "Escalation:SweepInterval must be positive.")
            .ValidateOnStart();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName)
            .Validate(o => o.MaxAttempts >= 1, "Notifications:MaxAttempts must be at least 1.")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Notifications:TimeZone is not a known time zone.")
            .ValidateOnStart();

        services.AddOptions<SeatDutyOptions>().BindConfiguration(SeatDutyOptions.SectionName)
            .Validate(o => o.KeepAliveInterval > TimeSpan.Zero && o.ReconnectGrace > TimeSpan.Zero, "Seats:KeepAliveInterval and Seats:ReconnectGrace must be positive.")
            .ValidateOnStart();
        services.AddOptions<DeviceCommandOptions>().BindConfiguration(DeviceCommandOptions.SectionName)
            .Validate(o => o.DefaultTimeToLive > TimeSpan.Zero && o.MaxTimeToLive >= o.DefaultTimeToLive, "DeviceCommands:DefaultTimeToLive must be positive and at most MaxTimeToLive.")
            .Validate(o => o.MaxPendingPerDevice >= 1, "DeviceCommands:MaxPendingPerDevice must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<DeviceCommandMetrics>();
        services.AddOptions<BroadcastOptions>().BindConfiguration(BroadcastOptions.SectionName)
            .Validate(o => o.MessagesPerSecond >= 1 && o.MaxRecipients >= 1, "Broadcasts:MessagesPerSecond and Broadcasts:MaxRecipients must be at least 1.")
            .ValidateOnStart();
        // A device's commands go out through the node that holds its connection (GatewayNodeGrain).
        Orleans.Hosting.PlacementStrategyExtensions.AddPlacementDirector<NodePinnedPlacement, NodePinnedPlacementDirector>(services);
        services.AddSingleton<DeviceCredentialMetrics>();
        services.AddOptions<DeviceSecretOptions>().BindConfiguration(DeviceSecretOptions.SectionName)
            .Validate(o => o.HashIterations >= 1_000, "Devices:Secrets:HashIterations must be at least 1000.")
            .ValidateOnStart();

        services.AddOptions<CallbackOptions>().BindConfiguration(CallbackOptions.SectionName)
            .Validate(o => o.DueWithin > TimeSpan.Zero, "Callbacks:DueWithin must be positive.")
            .ValidateOnStart();
        services.AddSingleton<CallbackSchedule>();

        services.AddElderIoTGeofences();
        services.AddSingleton<AlarmEscalationPolicy>();
        services.AddSingleton<AlarmStore>();
        services.AddSingleton<AlarmSeatDispatch>();
        services.AddSingleton<AlarmNotifications>();
        services.AddSingleton<AlarmDeviceCommands>();
        services.AddSingleton<SeatMetrics>();
        services.AddSingleton<OutageSeatNotices>();
        services.AddSingleton<AlarmMessageComposer>();
        services.AddSingleton<CareMessageComposer>();
        services.AddSingleton<AlarmMetrics>();
        services.AddSingleton<ServiceLevelMetrics>();
        services.AddSingleton<ServiceLevelFeed>();
        services.TryAddSingleton<WorkerMetrics>();
        services.AddElderIoTFamilyNotifier();
        services.AddHostedService<PendingWorkSweeper>();
        services.AddElderIoTAlarmRules();
        services.AddSingleton<DeviceSnapshotWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<DeviceSnapshotWriter>());
        return services;
    }
}
