using ElderIoT.Contracts.Geofences;

namespace ElderIoT.Geofences;

/// <summary>One fix as the monitor judges it: WGS-84, accuracy radius in metres, the device's time.</summary>
public readonly record struct Fix(double Lat, double Lon, double? Accuracy, DateTimeOffset At);

/// <summary>Which way a zone's boundary was crossed.</summary>
public enum Crossing
{
    /// <summary>From inside to outside.</summary>
    Exited,

    /// <summary>From outside to inside.</summary>
    Entered,
}

/// <summary>Why a fix was not used for zones.</summary>
public enum IgnoredFix
{
    /// <summary>Used.</summary>
    None,

    /// <summary>The device gave no accuracy: it cannot be told apart from drift.</summary>
    NoAccuracy,

    /// <summary>Accuracy worse than the elder's limit (a cell-tower fix, a cold start).</summary>
    AbsurdAccuracy,

    /// <summary>Older than a fix already judged (a buffered batch, a second device lagging).</summary>
    OutOfOrder,
}

/// <summary>A confirmed crossing of one zone's boundary.</summary>
/// <param name="Fence">The zone.</param>
/// <param name="Crossing">Exited or entered.</param>
/// <param name="At">The time of the fix that confirmed it.</param>
/// <param name="Fix">That fix.</param>
/// <param name="Depth">Metres beyond the boundary on the new side, at that fix.</param>
public sealed record GeofenceTransition(GeofenceDefinition Fence, Crossing Crossing, DateTimeOffset At, Fix Fix, double Depth)
{
    /// <summary>Leaving a safe zone or entering a danger zone: what raises an alarm.</summary>
    public bool RaisesAlarm => Fence.Kind == GeofenceKind.Safe ? Crossing == Crossing.Exited : Crossing == Crossing.Entered;
}

/// <summary>
/// The wandering rule for one elder, fed fixes in time order and returning confirmed crossings.
/// Pure (no clock, no I/O), so that it is tested on recorded and synthetic traces.
/// <para>
/// GPS drift is the enemy: a fix may be tens of metres off, more indoors. So a crossing towards the
/// alarm (leaving a safe zone, entering a danger zone) counts only for a fix beyond the boundary by
/// more than its own accuracy plus the margin; the way back counts for a fix on the normal side by
/// the margin. Either needs <see cref="GeofenceSettings.ConfirmFixes"/> such fixes in a row, or a run of
/// them spanning <see cref="GeofenceSettings.ConfirmAfter"/>; any fix in between breaks the run.
/// A false "back" costs nothing (no alarm, and leaving again must be certain again); a missed "back"
/// would hide the next wandering, hence the lighter test on the way back.
/// </para>
/// </summary>
public sealed class GeofenceMonitor
{
    private readonly List<Watch> _watches;
    private readonly GeofenceSettings _settings;
    private readonly TimeZoneInfo _timeZone;
    private DateTimeOffset? _lastAt;

    public GeofenceMonitor(IEnumerable<CompiledGeofence> fences, GeofenceSettings settings)
    {
        _settings = settings;
        _timeZone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        _watches = [.. fences.Select(f => new Watch(f))];
    }

    public IEnumerable<CompiledGeofence> Fences => _watches.Select(w => w.Fence);

    /// <summary>The home zone, if the elder has one.</summary>
    public CompiledGeofence? Home => _watches.FirstOrDefault(w => w.Fence.Definition.IsHome)?.Fence;

    /// <summary>Whether the elder is believed outside this safe zone / inside this danger zone right now.</summary>
    public bool IsAlarmSide(Guid fenceId) => _watches.FirstOrDefault(w => w.Fence.Id == fenceId) is { } w && w.OnAlarmSide;

    /// <summary>Why the fix cannot be used for zones, or <see cref="IgnoredFix.None"/>.</summary>
    public static IgnoredFix Usable(double? accuracy, GeofenceSettings settings) => accuracy switch
    {
        null => IgnoredFix.NoAccuracy,
        var a when !double.IsFinite(a.Value) || a.Value > settings.MaxAccuracy => IgnoredFix.AbsurdAccuracy,
        _ => IgnoredFix.None,
    };

    /// <summary>
    /// The one accuracy rule: a fix is certainly beyond a boundary only when it is beyond it by more
    /// than its accuracy plus the margin. Used for crossings and for visit check-ins alike.
    /// </summary>
    public static double CertainBeyond(double accuracy, GeofenceSettings settings) => accuracy + settings.Margin;

    /// <summary>Judges one fix against every zone; returns the crossings it confirms (usually none).</summary>
    public IReadOnlyList<GeofenceTransition> Evaluate(Fix fix, out IgnoredFix ignored)
    {
        ignored = Usable(fix.Accuracy, _settings);
        if (ignored == IgnoredFix.None && _lastAt is { } last && fix.At < last)
        {
            ignored = IgnoredFix.OutOfOrder;
        }

        if (ignored != IgnoredFix.None)
        {
            return [];
        }

        _lastAt = fix.At;
        var accuracy = fix.Accuracy!.Value;
        List<GeofenceTransition>? transitions = null;
        foreach (var watch in _watches)
        {
            if (!watch.Fence.Definition.Schedule.Covers(fix.At, _timeZone))
            {
                watch.Reset(); // Out of its hours a zone neither alarms nor remembers a half-made crossing.
                continue;
            }

            var alarmAt = CertainBeyond(accuracy, _settings);
            var outside = watch.Fence.SignedDistance(fix.Lat, fix.Lon, enough: alarmAt);
            // Depth into the alarm side: outside a safe zone, inside a danger zone.
            var depth = watch.Fence.Definition.Kind == GeofenceKind.Safe ? outside : -outside;
            var towards = watch.OnAlarmSide
                ? depth < -_settings.Margin // the way back
                : depth > alarmAt;          // the way to the alarm
            if (!towards)
            {
                watch.Run = 0;
                continue;
            }

            if (watch.Run++ == 0)
            {
                watch.RunStartedAt = fix.At;
            }

            if (watch.Run >= _settings.ConfirmFixes || (watch.Run >= 2 && fix.At - watch.RunStartedAt >= _settings.ConfirmAfter))
            {
                watch.OnAlarmSide = !watch.OnAlarmSide;
                watch.Run = 0;
                var crossing = (watch.Fence.Definition.Kind == GeofenceKind.Safe) == watch.OnAlarmSide ? Crossing.Exited : Crossing.Entered;
                (transitions ??= []).Add(new GeofenceTransition(watch.Fence.Definition, crossing, fix.At, fix, Math.Abs(depth)));
            }
        }

        return transitions ?? (IReadOnlyList<GeofenceTransition>)[];
    }

    private sealed class Watch(CompiledGeofence fence)
    {
        public CompiledGeofence Fence { get; } = fence;

        /// <summary>Believed outside a safe zone or inside a danger zone. Starts false: a fresh monitor assumes the normal side.</summary>
        public bool OnAlarmSide { get; set; }

        public int Run { get; set; }

        public DateTimeOffset RunStartedAt { get; set; }

        public void Reset()
        {
            OnAlarmSide = false;
            Run = 0;
        }
    }
}
