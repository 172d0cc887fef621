namespace ElderIoT.DeviceSim;

/// <summary>
/// What the centre's detection rules must have made of a run's scenarios, checked through the API at
/// the end: a vitals alarm for each elder whose heart rate stayed high, device_silent for each device
/// that went quiet, one outage (and no device_silent) when the whole district went dark, nothing
/// silent after a reconnect storm. A scenario that raises nothing it should fails the run.
/// </summary>
internal sealed class RuleExpectations(ApiClient api)
{
    // A device told to report every minute is silent after it, found by the next sweep once the
    // records have its last-seen time (10 s), then held one outage window (1 min) before it is raised.
    public const int SilentAfterSeconds = 60;
    private static readonly TimeSpan SilenceWait = TimeSpan.FromSeconds(SilentAfterSeconds + 120);

    private readonly List<(Guid Elder, string Kind, string Why)> _alarms = [];
    private readonly List<(Guid Elder, string Kind, string Why)> _noAlarms = [];
    private (string Scope, int Devices)? _outage;

    public TimeSpan Wait { get; private set; } = TimeSpan.FromSeconds(30);

    public bool Any => _alarms.Count + _noAlarms.Count > 0 || _outage is not null;

    public void Alarm(Guid elder, string kind, string why)
    {
        _alarms.Add((elder, kind, why));
        if (kind == "device_silent")
        {
            Wait = Wait > SilenceWait ? Wait : SilenceWait;
        }
    }

    public void NoAlarm(Guid elder, string kind, string why) => _noAlarms.Add((elder, kind, why));

    public void Outage(string district, int devices)
    {
        _outage = (string.Join('/', district.Split('/', StringSplitOptions.RemoveEmptyEntries).Take(2)), devices);
        Wait = Wait > SilenceWait ? Wait : SilenceWait;
    }

    /// <summary>Polls the API until every expectation holds or the wait is over; returns one line per rule and the failures.</summary>
    public async Task<(IReadOnlyList<string> Lines, int Failures)> CheckAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var (lines, failures) = await EvaluateAsync(cancellationToken);
            if (failures == 0 || DateTime.UtcNow >= deadline || cancellationToken.IsCancellationRequested)
            {
                return (lines, failures);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    private async Task<(List<string> Lines, int Failures)> EvaluateAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var failures = 0;
        var kinds = new Dictionary<Guid, IReadOnlyList<string>>();
        foreach (var elder in _alarms.Select(a => a.Elder).Concat(_noAlarms.Select(a => a.Elder)).Distinct())
        {
            kinds[elder] = await api.AlarmKindsAsync(elder, cancellationToken);
        }

        foreach (var group in _alarms.GroupBy(a => (a.Kind, a.Why)))
        {
            var raised = group.Count(a => kinds[a.Elder].Contains(a.Kind));
            failures += group.Count() - raised;
            lines.Add($"rules: {group.Key.Kind} raised for {raised}/{group.Count()} elder(s) ({group.Key.Why})");
        }

        foreach (var group in _noAlarms.GroupBy(a => (a.Kind, a.Why)))
        {
            var raised = group.Count(a => kinds[a.Elder].Contains(a.Kind));
            failures += raised;
            lines.Add($"rules: {group.Key.Kind} raised for {raised}/{group.Count()} elder(s), expected none ({group.Key.Why})");
        }

        if (_outage is { } expected)
        {
            var outages = await api.OutagesAsync(cancellationToken);
            var found = outages.Where(o => o.Scope == expected.Scope).ToList();
            if (found.Count != 1)
            {
                failures++;
            }

            lines.Add($"rules: {found.Count} outage(s) in {expected.Scope} (expected 1 covering {expected.Devices} devices; peak {found.Select(o => o.Peak).DefaultIfEmpty().Max()})");
        }

        return (lines, failures);
    }
}
