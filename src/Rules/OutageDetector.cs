namespace ElderIoT.Rules;

/// <summary>How many silent devices at once make an outage, and how long a silent device waits to be judged.</summary>
/// <param name="Window">Silences this close together count as at once; a silent device is held this long before it is raised alone.</param>
/// <param name="MinDevices">This many devices of one scope silent at once is an outage, whatever the scope's size.</param>
/// <param name="MinShare">Or this share of a scope's supervised devices...</param>
/// <param name="MinDevicesForShare">...when at least this many (two of three devices is a coincidence, not a power cut).</param>
/// <param name="EndShare">The outage ends when no more than this share of its devices is still silent; those are then raised alone.</param>
/// <param name="ScopeDepth">How many segments of the district path make a scope (2: city/district).</param>
public sealed record OutageSettings(TimeSpan Window, int MinDevices, double MinShare, int MinDevicesForShare, double EndShare, int ScopeDepth)
{
    public static OutageSettings Default { get; } = new(TimeSpan.FromMinutes(1), 50, 0.5, 10, 0.1, 2);
}

/// <summary>One mass outage: the scope (a district prefix), when it began, and its devices.</summary>
public sealed class Outage(Guid id, string scope, DateTimeOffset startedAt)
{
    public Guid Id { get; } = id;

    public string Scope { get; } = scope;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? EndedAt { get; internal set; }

    /// <summary>Most devices silent at once during the outage.</summary>
    public int Peak { get; internal set; }

    /// <summary>Its devices still silent.</summary>
    public HashSet<string> Silent { get; } = new(StringComparer.Ordinal);

    /// <summary>How many of its devices came back.</summary>
    public int Back { get; internal set; }
}

/// <summary>What the detector decided in one step.</summary>
public sealed class OutageDecisions
{
    /// <summary>Devices silent on their own: raise a device_silent alarm each.</summary>
    public List<string> RaiseAlone { get; } = [];

    /// <summary>Outages that began in this step (one supervisor alert each).</summary>
    public List<Outage> Started { get; } = [];

    /// <summary>Outages that ended in this step.</summary>
    public List<Outage> Ended { get; } = [];

    /// <summary>Devices put under an outage in this step (recorded, no alarm of their own).</summary>
    public List<(string DeviceId, Outage Outage)> Suppressed { get; } = [];

    public bool IsEmpty => RaiseAlone.Count + Started.Count + Ended.Count + Suppressed.Count == 0;
}

/// <summary>
/// Tells a mass outage (a power or network cut: many devices of one district silent within a minute)
/// from devices silent on their own. A silent device is held for one <see cref="OutageSettings.Window"/>
/// before it is raised alone, so that the first devices of an outage do not page anyone either; once a
/// scope's silent devices reach the threshold they become ONE outage, and further silent devices of the
/// scope join it while it lasts. Fed by the supervision sweep, which reports every silent device at every
/// sweep until it is raised: so the detector's memory may be lost (a node restart) and rebuilt.
/// </summary>
public sealed class OutageDetector(OutageSettings settings)
{
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Outage> _outages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Outage> _deviceOutage = new(StringComparer.Ordinal);

    public OutageSettings Settings { get; } = settings;

    /// <summary>Outages in progress.</summary>
    public IEnumerable<Outage> Active => _outages.Values;

    /// <summary>Devices held for judgement.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>The scope of a district path: its first <see cref="OutageSettings.ScopeDepth"/> segments.</summary>
    public string ScopeOf(string district) => string.Join('/', district.Split('/', StringSplitOptions.RemoveEmptyEntries).Take(Settings.ScopeDepth));

    /// <summary>Whether the device is counted in an outage now.</summary>
    public bool IsSuppressed(string deviceId) => _deviceOutage.ContainsKey(deviceId);

    /// <summary>
    /// Takes the silent devices one sweep found (each with its district and when it went silent) and
    /// the number of supervised devices per scope, and decides what is due by <paramref name="now"/>.
    /// A device reported again is the same silence, not a new one.
    /// </summary>
    public OutageDecisions Report(IEnumerable<(string DeviceId, string District, DateTimeOffset SilentAt)> silent, Func<string, int> devicesInScope, DateTimeOffset now)
    {
        var decisions = new OutageDecisions();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (deviceId, district, silentAt) in silent)
        {
            if (_deviceOutage.ContainsKey(deviceId) || _pending.ContainsKey(deviceId))
            {
                continue;
            }

            var scope = ScopeOf(district);
            if (_outages.TryGetValue(scope, out var outage))
            {
                Suppress(decisions, deviceId, outage);
                continue;
            }

            _pending[deviceId] = new Pending(deviceId, scope, silentAt, now);
            touched.Add(scope);
        }

        foreach (var scope in touched)
        {
            var together = _pending.Values.Where(p => p.Scope == scope).ToList();
            var latest = together.Max(p => p.SilentAt);
            var atOnce = together.Where(p => latest - p.SilentAt <= Settings.Window).ToList();
            var total = Math.Max(devicesInScope(scope), atOnce.Count);
            if (atOnce.Count >= Settings.MinDevices
                || (atOnce.Count >= Settings.MinDevicesForShare && atOnce.Count >= Settings.MinShare * total))
            {
                var outage = new Outage(Guid.NewGuid(), scope, atOnce.Min(p => p.SilentAt));
                _outages[scope] = outage;
                decisions.Started.Add(outage);
                foreach (var p in together)
                {
                    _pending.Remove(p.DeviceId);
                    Suppress(decisions, p.DeviceId, outage);
                }
            }
        }

        foreach (var p in _pending.Values.Where(p => now - p.ReportedAt >= Settings.Window).ToList())
        {
            _pending.Remove(p.DeviceId);
            decisions.RaiseAlone.Add(p.DeviceId);
        }

        return decisions;
    }

    /// <summary>A device spoke again. Ends its outage once few enough of its devices are still silent.</summary>
    public OutageDecisions Back(string deviceId, DateTimeOffset now)
    {
        var decisions = new OutageDecisions();
        _pending.Remove(deviceId);
        if (!_deviceOutage.Remove(deviceId, out var outage))
        {
            return decisions;
        }

        outage.Silent.Remove(deviceId);
        outage.Back++;
        if (outage.Silent.Count <= Settings.EndShare * outage.Peak)
        {
            outage.EndedAt = now;
            _outages.Remove(outage.Scope);
            decisions.Ended.Add(outage);
            foreach (var still in outage.Silent)
            {
                // Still silent once the rest came back: a device with a fault of its own.
                _deviceOutage.Remove(still);
                decisions.RaiseAlone.Add(still);
            }
        }

        return decisions;
    }

    private void Suppress(OutageDecisions decisions, string deviceId, Outage outage)
    {
        outage.Silent.Add(deviceId);
        outage.Peak = Math.Max(outage.Peak, outage.Silent.Count);
        _deviceOutage[deviceId] = outage;
        decisions.Suppressed.Add((deviceId, outage));
    }

    private sealed record Pending(string DeviceId, string Scope, DateTimeOffset SilentAt, DateTimeOffset ReportedAt);
}
