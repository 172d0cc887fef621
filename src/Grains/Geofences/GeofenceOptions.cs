using ElderIoT.Contracts.Geofences;

namespace ElderIoT.Grains.Geofences;

/// <summary>Defaults of the wandering rule and of locate-now (section <c>Geofences</c>); an elder may override the rule's.</summary>
public sealed class GeofenceOptions
{
    public const string SectionName = "Geofences";

    /// <summary>Time zone of zone schedules when the elder has none of their own.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Consecutive decisive fixes that confirm a crossing.</summary>
    public int ConfirmFixes { get; set; } = 3;

    /// <summary>Or: a run of decisive fixes (at least two) spanning this long.</summary>
    public TimeSpan ConfirmAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Metres beyond a fix's own accuracy that a crossing must clear.</summary>
    public double Margin { get; set; } = 25;

    /// <summary>Fixes with a worse accuracy (metres) are ignored for zones: a cell-tower fix is not a position.</summary>
    public double MaxAccuracy { get; set; } = 500;

    /// <summary>How often devices are asked to report while a wandering alarm is open (the <c>config</c> command).</summary>
    public TimeSpan TrackingReportEvery { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a locate-now request may wait for a device (below Orleans' 30 s call timeout).</summary>
    public TimeSpan MaxLocateWait { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>A fix answers a locate request when the device dated it no earlier than this before the request (device clocks drift).</summary>
    public TimeSpan LocateClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The settings in force for an elder: theirs where set, these otherwise.</summary>
    public GeofenceSettings For(GeofenceSettingsOverride? own) => new(
        own?.TimeZone ?? TimeZone,
        own?.ConfirmFixes ?? ConfirmFixes,
        own?.ConfirmAfter ?? ConfirmAfter,
        own?.Margin ?? Margin,
        own?.MaxAccuracy ?? MaxAccuracy);
}
