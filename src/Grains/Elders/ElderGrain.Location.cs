using System.Globalization;
using System.Text.Json;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Geofences;
using ElderIoT.Grains.Geofences;
using ElderIoT.Records;
using ElderIoT.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Elders;

/// <summary>
/// The elder's whereabouts: zones, the wandering rule over the fixes their devices forward, locate-now
/// and home visits. Detection is <see cref="GeofenceMonitor"/>; this part does what follows from it
/// (history, alarms, asking devices to report more often).
/// </summary>
internal sealed partial class ElderGrain
{
    private const int RememberedFixes = 10;

    private readonly Queue<PositionFix> _recentFixes = new();
    private readonly List<(DateTimeOffset Since, TaskCompletionSource<PositionFix> Answer)> _locating = [];
    private List<GeofenceDefinition> _fences = [];
    private GeofenceSettingsOverride? _ownSettings;
    private GeofenceMonitor? _monitor;
    private PositionFix? _lastFix;
    private GeofenceTransition? _unraised;
    private Guid? _trackingFor;
    private bool _locationLoaded;

    public async Task<IReadOnlyList<GeofenceDefinition>> GetGeofencesAsync()
    {
        RequireElder();
        await EnsureLocationAsync();
        return _fences;
    }

    public async Task<GeofenceDefinition> SaveGeofenceAsync(GeofenceDefinition fence, bool mustExist)
    {
        var elder = RequireElder();
        await EnsureLocationAsync();
        var exists = _fences.Any(f => f.Id == fence.Id);
        if (mustExist && !exists)
        {
            throw new GeofenceNotFoundException(elder.Id, fence.Id);
        }

        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync();
        var fenceId = fence.Id;
        var record = exists ? await db.Geofences.SingleAsync(f => f.Id == fenceId) : null;
        if (record is null)
        {
            record = new GeofenceRecord { Id = fence.Id, ElderId = elder.Id, Name = "", Kind = "", Geometry = "", CreatedAt = now };
            db.Geofences.Add(record);
        }

        record.Apply(fence);
        record.UpdatedAt = now;
        // One home zone: saving a new home demotes the old one.
        var demoted = fence.IsHome ? _fences.Where(f => f.IsHome && f.Id != fence.Id).Select(f => f.Id).ToList() : [];
        foreach (var old in await db.Geofences.Where(f => demoted.Contains(f.Id)).ToListAsync())
        {
            old.IsHome = false;
        }

        await db.SaveChangesAsync();
        _fences = [.. _fences.Where(f => f.Id != fence.Id).Select(f => demoted.Contains(f.Id) ? f with { IsHome = false } : f), fence];
        RebuildMonitor();
        return fence;
    }

    public async Task RemoveGeofenceAsync(Guid fenceId)
    {
        var elder = RequireElder();
        await EnsureLocationAsync();
        if (_fences.All(f => f.Id != fenceId))
        {
            throw new GeofenceNotFoundException(elder.Id, fenceId);
        }

        await using var db = await contexts.CreateDbContextAsync();
        await db.Geofences.Where(f => f.Id == fenceId).ExecuteDeleteAsync();
        _fences = [.. _fences.Where(f => f.Id != fenceId)];
        RebuildMonitor();
    }

    public async Task<GeofenceSettings> GetGeofenceSettingsAsync()
    {
        RequireElder();
        await EnsureLocationAsync();
        return location.Options.For(_ownSettings);
    }

    public async Task<GeofenceSettings> SetGeofenceSettingsAsync(GeofenceSettingsOverride settings)
    {
        var elder = RequireElder();
        await EnsureLocationAsync();
        await using var db = await contexts.CreateDbContextAsync();
        var id = elder.Id;
        var record = await db.GeofenceSettings.SingleOrDefaultAsync(s => s.ElderId == id);
        if (record is null)
        {
            record = new GeofenceSettingsRecord { ElderId = id };
            db.GeofenceSettings.Add(record);
        }

        (record.TimeZone, record.ConfirmFixes, record.ConfirmAfter, record.Margin, record.MaxAccuracy) =
            (settings.TimeZone, settings.ConfirmFixes, settings.ConfirmAfter, settings.Margin, settings.MaxAccuracy);
        await db.SaveChangesAsync();
        _ownSettings = settings;
        RebuildMonitor();
        return location.Options.For(_ownSettings);
    }

    public async Task ReportPositionAsync(PositionFix fix)
    {
        if (_elder is not { } elder)
        {
            return;
        }

        await EnsureLocationAsync();
        if (_lastFix is null || fix.At >= _lastFix.At)
        {
            _lastFix = fix;
        }

        _recentFixes.Enqueue(fix);
        while (_recentFixes.Count > RememberedFixes)
        {
            _recentFixes.Dequeue();
        }

        AnswerLocates(fix);
        if (_unraised is { } pending)
        {
            // Raising failed last time (records down): the elder still needs the alarm.
            _unraised = null;
            await RaiseForTransitionAsync(elder, pending);
        }

        if (_monitor is null)
        {
            return;
        }

        var transitions = _monitor.Evaluate(new Fix(fix.Position.Lat, fix.Position.Lon, fix.Position.Accuracy, fix.At), out var ignored);
        if (ignored != IgnoredFix.None)
        {
            location.Metrics.Ignored(ignored.ToSnakeCase());
            return;
        }

        location.Metrics.Evaluated();
        foreach (var transition in transitions)
        {
            location.Metrics.Transition(transition.Fence.Kind.ToSnakeCase(), transition.Crossing.ToSnakeCase());
            var type = transition.Crossing == Crossing.Exited ? DeviceEventType.GeofenceExit : DeviceEventType.GeofenceEnter;
            await location.History.EnqueueAsync(new EventEntry(elder.Id, fix.DeviceId, TransitionEvent(fix.DeviceId, type, transition), null));
            if (transition.RaisesAlarm)
            {
                await RaiseForTransitionAsync(elder, transition);
            }
        }
    }

    public async Task<LocateResult> LocateAsync(TimeSpan wait)
    {
        var elder = RequireElder();
        wait = wait > location.Options.MaxLocateWait ? location.Options.MaxLocateWait : wait;
        var since = clock.GetUtcNow();
        var devices = await LocatableDevicesAsync(elder.Id);
        var answer = new TaskCompletionSource<PositionFix>(TaskCreationOptions.RunContinuationsAsynchronously);
        _locating.Add((since, answer));
        await RecordLocateAsync(elder, DeviceEventType.LocateRequested, AlarmChange.LocateRequested,
            devices.Count == 0 ? "the elder has no device that reports a position" : $"asked {string.Join(", ", devices)}", null, since);
        foreach (var device in devices)
        {
            // Kept a little past the wait: a late answer still refreshes the last known position.
            SendCommand(device, "locate", new { type = "locate", at = since }, LocateCommandLife);
        }

        try
        {
            if (devices.Count > 0)
            {
                await Task.WhenAny(answer.Task, Task.Delay(wait, clock));
            }
        }
        finally
        {
            _locating.RemoveAll(l => l.Answer == answer);
        }

        var now = clock.GetUtcNow();
        if (answer.Task.IsCompletedSuccessfully)
        {
            var fix = answer.Task.Result;
            location.Metrics.Located(nameof(LocateStatus.Fresh).ToLowerInvariant());
            await RecordLocateAsync(elder, DeviceEventType.Located, AlarmChange.Located, $"{Describe(fix)} from {fix.DeviceId}", fix, now);
            return new LocateResult(LocateStatus.Fresh, fix.Position, fix.At, now - fix.At, fix.DeviceId, devices);
        }

        var last = _lastFix ?? await LastKnownFromDevicesAsync(elder.Id);
        var status = last is null ? LocateStatus.Unknown : LocateStatus.Stale;
        location.Metrics.Located(status.ToSnakeCase());
        await RecordLocateAsync(elder, DeviceEventType.LocateUnanswered, AlarmChange.LocateUnanswered,
            last is null ? $"no answer in {wait.TotalSeconds:0} s and no position known"
                : $"no answer in {wait.TotalSeconds:0} s; last known {Describe(last)}, {(now - last.At).TotalMinutes:0} min old",
            last, now);
        return new LocateResult(status, last?.Position, last?.At, last is null ? null : now - last.At, last?.DeviceId, devices);
    }

    public async Task<VisitSnapshot> CheckInVisitAsync(VisitCheck check)
    {
        var elder = RequireElder();
        await EnsureLocationAsync();
        var now = clock.GetUtcNow();
        var visit = new VisitRecord
        {
            Id = Guid.NewGuid(),
            ElderId = elder.Id,
            WorkerId = check.WorkerId,
            CheckInAt = now,
            CheckInLat = check.Position?.Lat,
            CheckInLon = check.Position?.Lon,
            CheckInAccuracy = check.Position?.Accuracy,
            CheckInPlace = PlaceOf(check.Position).ToSnakeCase(),
            CheckInDeviceId = check.DeviceId,
        };
        await using var db = await contexts.CreateDbContextAsync();
        db.Visits.Add(visit);
        await db.SaveChangesAsync();
        return visit.ToSnapshot();
    }

    public async Task<VisitSnapshot> CheckOutVisitAsync(Guid visitId, VisitCheck check)
    {
        var elder = RequireElder();
        await EnsureLocationAsync();
        await using var db = await contexts.CreateDbContextAsync();
        var id = elder.Id;
        var visit = await db.Visits.SingleOrDefaultAsync(v => v.Id == visitId && v.ElderId == id)
            ?? throw new VisitConflictException($"Elder '{id}' has no visit '{visitId}'.");
        if (visit.CheckOutAt is not null)
        {
            throw new VisitConflictException($"Visit '{visitId}' was already checked out at {visit.CheckOutAt:O}.");
        }

        if (visit.WorkerId != check.WorkerId)
        {
            throw new VisitConflictException($"Visit '{visitId}' was checked in by '{visit.WorkerId}', not '{check.WorkerId}'.");
        }

        return await CheckOutAsync(db, visit, check);
    }

    public async Task<VisitSnapshot> CheckOutOpenVisitAsync(VisitCheck check)
    {
        var elder = RequireElder();
        await EnsureLocationAsync();
        await using var db = await contexts.CreateDbContextAsync();
        var id = elder.Id;
        var worker = check.WorkerId;
        var visit = await db.Visits.Where(v => v.ElderId == id && v.WorkerId == worker && v.CheckOutAt == null)
                .OrderByDescending(v => v.CheckInAt).FirstOrDefaultAsync()
            ?? throw new VisitConflictException($"Worker '{worker}' has no open visit at elder '{id}'.");
        return await CheckOutAsync(db, visit, check);
    }

    /// <summary>Closes an open visit: the one place a check-out is judged, for REST and devices alike.</summary>
    private async Task<VisitSnapshot> CheckOutAsync(ElderIoTDbContext db, VisitRecord visit, VisitCheck check)
    {
        visit.CheckOutAt = clock.GetUtcNow();
        visit.CheckOutLat = check.Position?.Lat;
        visit.CheckOutLon = check.Position?.Lon;
        visit.CheckOutAccuracy = check.Position?.Accuracy;
        visit.CheckOutPlace = PlaceOf(check.Position).ToSnakeCase();
        visit.CheckOutDeviceId = check.DeviceId;
        await db.SaveChangesAsync();
        return visit.ToSnapshot();
    }

    /// <summary>
    /// Loads the zones and settings on the first call that needs them, not at activation: an SOS that
    /// activates the grain must not wait for two more queries it has no use for.
    /// </summary>
    private async Task EnsureLocationAsync()
    {
        if (_locationLoaded)
        {
            return;
        }

        var id = this.GetPrimaryKey();
        await using var db = await contexts.CreateDbContextAsync();
        var fences = await db.Geofences.AsNoTracking().Where(f => f.ElderId == id).OrderBy(f => f.CreatedAt).ToListAsync();
        _fences = [.. fences.Select(f => f.ToDefinition())];
        _ownSettings = (await db.GeofenceSettings.AsNoTracking().SingleOrDefaultAsync(s => s.ElderId == id))?.ToOverride();
        RebuildMonitor();
        _locationLoaded = true;
    }

    /// <summary>
    /// A new monitor whenever zones or settings change: what was half-confirmed is forgotten, and
    /// every zone starts on its normal side (inside a safe zone, outside a danger zone).
    /// </summary>
    private void RebuildMonitor() =>
        _monitor = _fences.Count == 0 ? null : new GeofenceMonitor(_fences.Select(f => new CompiledGeofence(f)), location.Options.For(_ownSettings));

    /// <summary>Raises (or joins) the alarm through the same path as a device's SOS.</summary>
    private async Task RaiseForTransitionAsync(ElderRecord elder, GeofenceTransition transition)
    {
        var kind = transition.Fence.Kind == GeofenceKind.Safe ? AlarmKind.Wandering : AlarmKind.DangerZone;
        var type = transition.Crossing == Crossing.Exited ? DeviceEventType.GeofenceExit : DeviceEventType.GeofenceEnter;
        var deviceId = _lastFix?.DeviceId ?? "centre";
        Guid alarmId;
        try
        {
            alarmId = await RaiseOrJoinAsync(elder, CentreTrigger(TransitionAlarm(deviceId, kind, type, transition)));
        }
        catch (Exception exception)
        {
            _unraised = transition;
            LogGeofenceAlarmFailed(location.Logger, exception, elder.Id, transition.Fence.Name);
            return;
        }

        try
        {
            await Alarm(alarmId).RecordNoteAsync(kind == AlarmKind.Wandering ? AlarmChange.WanderingDetail : AlarmChange.DangerZoneDetail, DescribeTransition(transition));
        }
        catch (Exception exception)
        {
            // The alarm is raised; only its detail is missing. Raising again would be a duplicate event.
            LogLocateNoteFailed(location.Logger, exception, alarmId);
        }

        if (kind == AlarmKind.Wandering && _trackingFor is null)
        {
            _trackingFor = alarmId;
            await ConfigureReportingAsync(elder.Id, tracking: true);
        }
    }

    /// <summary>Told when an alarm is resolved: devices that were tracking for it go back to normal.</summary>
    private async Task StopTrackingAsync(Guid alarmId)
    {
        if (_trackingFor == alarmId && _elder is { } elder)
        {
            _trackingFor = null;
            await ConfigureReportingAsync(elder.Id, tracking: false);
        }
    }

    private static readonly TimeSpan LocateCommandLife = TimeSpan.FromMinutes(5);

    private async Task ConfigureReportingAsync(Guid elderId, bool tracking)
    {
        object command = tracking
            ? new { type = "config", mode = "tracking", reportEverySeconds = (int)location.Options.TrackingReportEvery.TotalSeconds }
            : new { type = "config", mode = "normal" };
        foreach (var device in await LocatableDevicesAsync(elderId))
        {
            SendCommand(device, "config", command);
        }
    }

    /// <summary>
    /// Through the device's outbox, which keeps it until the device acknowledges it or it expires. Not
    /// awaited: the device grain may be waiting on this grain (an event it is handing over), and
    /// waiting for it here would hold both until the call times out.
    /// </summary>
    private void SendCommand(string deviceId, string type, object command, TimeSpan? timeToLive = null) =>
        GrainFactory.GetGrain<IDeviceGrain>(deviceId)
            .SendCommandAsync(new DeviceCommand(type, JsonSerializer.Serialize(command, CommandJson), timeToLive))
            .ContinueWith(
                t => LogDeviceCommandFailed(location.Logger, t.Exception!.GetBaseException(), deviceId),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private void AnswerLocates(PositionFix fix)
    {
        foreach (var (since, answer) in _locating)
        {
            if (fix.ReceivedAt >= since && fix.At >= since - location.Options.LocateClockSkew)
            {
                answer.TrySetResult(fix);
            }
        }
    }

    private async Task RecordLocateAsync(ElderRecord elder, DeviceEventType type, AlarmChange timelineType, string detail, PositionFix? fix, DateTimeOffset at)
    {
        var deviceId = fix?.DeviceId ?? "centre";
        var eventId = $"{type.ToSnakeCase()}-{at.ToUnixTimeMilliseconds()}";
        await location.History.EnqueueAsync(new EventEntry(elder.Id, deviceId, new DeviceEvent(deviceId, eventId, type, at, fix?.Position), _openAlarmId));
        if (_openAlarmId is { } open)
        {
            try
            {
                await Alarm(open).RecordNoteAsync(timelineType, detail);
            }
            catch (Exception exception)
            {
                LogLocateNoteFailed(location.Logger, exception, open);
            }
        }
    }

    private async Task<IReadOnlyList<string>> LocatableDevicesAsync(Guid elderId)
    {
        var sensor = DeviceKind.Sensor.ToSnakeCase();
        await using var db = await contexts.CreateDbContextAsync();
        return await db.Devices.AsNoTracking()
            .Where(d => d.ElderId == elderId && !d.Disabled && d.Kind != sensor)
            .OrderBy(d => d.Id).Select(d => d.Id).ToListAsync();
    }

    private async Task<PositionFix?> LastKnownFromDevicesAsync(Guid elderId)
    {
        // After a restart the grain has seen no fix yet: the devices' last known positions stand in.
        PositionFix? best = null;
        foreach (var deviceId in await LocatableDevicesAsync(elderId))
        {
            if (await GrainFactory.GetGrain<IDeviceGrain>(deviceId).GetStatusAsync() is { LastPosition: { } p, LastPositionAt: { } at }
                && (best is null || at > best.At))
            {
                best = new PositionFix(deviceId, p, at, at);
            }
        }

        return best;
    }

    /// <summary>Whether a visit check was made at the home, by the same accuracy rule as wandering.</summary>
    private VisitPlace PlaceOf(GeoPosition? position)
    {
        var settings = location.Options.For(_ownSettings);
        if (_monitor?.Home is not { } home || position is null || GeofenceMonitor.Usable(position.Accuracy, settings) != IgnoredFix.None)
        {
            return VisitPlace.Unverified;
        }

        var beyond = GeofenceMonitor.CertainBeyond(position.Accuracy!.Value, settings);
        return home.SignedDistance(position.Lat, position.Lon, enough: beyond) > beyond ? VisitPlace.AwayFromHome : VisitPlace.AtHome;
    }

    private string DescribeTransition(GeofenceTransition transition)
    {
        var crossing = transition.Crossing == Crossing.Exited ? "left" : "entered";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{crossing} {transition.Fence.Kind.ToSnakeCase()} zone '{transition.Fence.Name}' ({transition.Depth:0} m beyond its edge)");
        if (_monitor?.Home is { } home)
        {
            var fromHome = GeoDistance.Metres(home.CentreLat, home.CentreLon, transition.Fix.Lat, transition.Fix.Lon);
            text += string.Create(CultureInfo.InvariantCulture, $"; {fromHome:0} m from home");
        }

        return text + "; last positions: " + string.Join("; ", _recentFixes.Reverse().Take(5).Select(Describe));
    }

    private static string Describe(PositionFix fix) => string.Create(CultureInfo.InvariantCulture,
        $"{fix.Position.Lat:0.000000},{fix.Position.Lon:0.000000}{(fix.Position.Accuracy is { } a ? $" ±{a:0} m" : "")} at {fix.At:HH:mm:ss}Z");

    /// <summary>A zone crossing as a centre alarm: the same entry as every centre rule, with the crossing as its event.</summary>
    private static CentreAlarm TransitionAlarm(string deviceId, AlarmKind kind, DeviceEventType type, GeofenceTransition transition)
    {
        var crossing = TransitionEvent(deviceId, type, transition);
        return new CentreAlarm(kind, deviceId, crossing.OccurredAt) { EventType = type, EventId = crossing.EventId, Position = crossing.Position };
    }

    private static DeviceEvent TransitionEvent(string deviceId, DeviceEventType type, GeofenceTransition transition) => new(
        deviceId,
        $"{type.ToSnakeCase()}-{transition.Fence.Id:N}-{transition.At.ToUnixTimeMilliseconds()}",
        type,
        transition.At,
        new GeoPosition(transition.Fix.Lat, transition.Fix.Lon, transition.Fix.Accuracy));

    private ElderRecord RequireElder() => _elder ?? throw new ElderNotFoundException(this.GetPrimaryKey());

    private static readonly JsonSerializerOptions CommandJson = new(JsonSerializerDefaults.Web);

    [LoggerMessage(3101, LogLevel.Error, "Elder {ElderId}: raising the alarm for zone '{Fence}' failed; retried with the next fix")]
    private static partial void LogGeofenceAlarmFailed(ILogger logger, Exception exception, Guid elderId, string fence);

    [LoggerMessage(3102, LogLevel.Warning, "Telling device {DeviceId} a command failed")]
    private static partial void LogDeviceCommandFailed(ILogger logger, Exception exception, string deviceId);

    [LoggerMessage(3103, LogLevel.Warning, "Putting a note (zone crossing detail, locate request) on alarm {AlarmId}'s timeline failed")]
    private static partial void LogLocateNoteFailed(ILogger logger, Exception exception, Guid alarmId);
}
