using ElderIoT.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ElderIoT.Grains.Rules;

/// <summary>Composes the detection rules: options, metrics, the services the grains take, the supervision sweep.</summary>
public static class AlarmRulesServiceCollectionExtensions
{
    public static IServiceCollection AddElderIoTAlarmRules(this IServiceCollection services)
    {
        services.AddOptions<AlarmRulesOptions>().BindConfiguration(AlarmRulesOptions.SectionName)
            .Validate(o => o.Invalid() is null, "AlarmRules: invalid settings (see docs/alarm-rules.md).")
            .ValidateOnStart();
        services.AddSingleton<RuleMetrics>();
        services.AddSingleton<RuleServices>();
        services.TryAddSingleton<WorkerMetrics>();
        services.AddHostedService<DeviceSupervisionSweeper>();
        return services;
    }
}
