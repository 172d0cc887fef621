using ElderIoT.Grains.Notifications;
using ElderIoT.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Rules;

/// <summary>What the elder and device grains need for the detection rules, bundled so their constructors stay small.</summary>
public sealed class RuleServices(IOptions<AlarmRulesOptions> options, IOptions<NotificationOptions> centre, RuleMetrics metrics, ILoggerFactory loggers)
{
    public AlarmRulesOptions Options => options.Value;

    /// <summary>The centre's time zone (<c>Notifications:TimeZone</c>): where active and night hours are read.</summary>
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(centre.Value.TimeZone);

    /// <summary>When it is night for an elder (outside active hours): the one answer inactivity and not-worn both use.</summary>
    public ElderDay Day => field ??= new ElderDay(Options.ActiveWindow, Zone);

    public RuleMetrics Metrics => metrics;

    public ILogger Logger { get; } = loggers.CreateLogger("ElderIoT.Grains.Rules");

    /// <summary>Counts and logs (once a minute) the elders whose rule settings could not be loaded.</summary>
    public RuleSettingsLoadFailures SettingsLoadFailures { get; } = new(metrics, loggers.CreateLogger("ElderIoT.Grains.Rules"));
}
