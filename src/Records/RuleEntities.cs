using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Records;

/// <summary>
/// An elder's own settings of the detection rules (docs/alarm-rules.md); every null column takes the
/// default (vitals by care level, hours and limits from <c>AlarmRules</c>). Written by the elder grain.
/// </summary>
public sealed class ElderRuleSettingsRecord
{
    public Guid ElderId { get; set; }
    public int? HeartRateHigh { get; set; }
    public int? HeartRateLow { get; set; }
    public int? SpO2Low { get; set; }
    public int? SystolicHigh { get; set; }
    public int? SystolicLow { get; set; }
    public int? SustainReadings { get; set; }
    public int? SustainSeconds { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The detection rules' part of the model, kept beside its entities.</summary>
internal static class RuleModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ElderRuleSettingsRecord>().HasKey(s => s.ElderId);
        // The supervision sweep looks for devices past their interval that are not yet marked silent.
        modelBuilder.Entity<DeviceRecord>().HasIndex(d => new { d.SilentSince, d.LastSeenAt });
    }
}
