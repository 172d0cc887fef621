using ElderIoT.Contracts.Devices;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Seats;
using ElderIoT.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Rules;

/// <summary>
/// The cluster's one mass-outage detector (key 0), around <see cref="OutageDetector"/>. Its memory is
/// not persisted, deliberately: the supervision sweeps report every silent device not yet raised at
/// every sweep, so after a restart the same silences rebuild the same outage (under a new id), and a
/// device held for judgement is judged again. What it decides for a device it tells the device grain.
/// </summary>
internal sealed class OutageGrain(
    IOptions<AlarmRulesOptions> options,
    [FromKeyedServices(ElderIoTClock.Key)] TimeProvider clock,
    RuleServices rules,
    OutageSeatNotices seats) : Grain, IOutageGrain
{
    private const int RememberedEnded = 50;

    private readonly OutageDetector _detector = new(options.Value.Outage.ToSettings());
    private readonly LinkedList<OutageSnapshot> _ended = new();

    public async Task ReportSilentAsync(IReadOnlyList<SilentDevice> silent, IReadOnlyDictionary<string, int> devicesPerScope)
    {
        var decisions = _detector.Report(
            silent.Select(s => (s.DeviceId, s.District, s.SilentAt)),
            scope => devicesPerScope.TryGetValue(scope, out var count) ? count : 0,
            clock.GetUtcNow());
        await ActAsync(decisions);
    }

    public async Task DeviceBackAsync(string deviceId) => await ActAsync(_detector.Back(deviceId, clock.GetUtcNow()));

    public Task<IReadOnlyList<OutageSnapshot>> GetOutagesAsync() =>
        Task.FromResult<IReadOnlyList<OutageSnapshot>>([.. _detector.Active.Select(Snapshot).OrderByDescending(o => o.StartedAt), .. _ended]);

    private async Task ActAsync(OutageDecisions decisions)
    {
        foreach (var outage in decisions.Started)
        {
            rules.Metrics.Outage("started");
            RuleLog.OutageStarted(rules.Logger, outage.Id, outage.Scope, outage.Silent.Count);
        }

        foreach (var (_, outage) in decisions.Suppressed)
        {
            rules.Metrics.Decided("device_silent", "suppressed_by_outage");
            _ = outage;
        }

        foreach (var outage in decisions.Ended)
        {
            rules.Metrics.Outage("ended");
            RuleLog.OutageEnded(rules.Logger, outage.Id, outage.Scope, outage.Back, outage.Silent.Count);
            _ended.AddFirst(Snapshot(outage));
            while (_ended.Count > RememberedEnded)
            {
                _ended.RemoveLast();
            }
        }

        foreach (var deviceId in decisions.RaiseAlone)
        {
            try
            {
                await GrainFactory.GetGrain<IDeviceSupervisionGrain>(deviceId).GoneSilentAsync(raise: true);
            }
            catch (Exception exception)
            {
                // Not marked silent in the records, so the next sweep reports it again.
                RuleLog.SilenceFailed(rules.Logger, exception, deviceId);
            }
        }

        // The seats of the districts hear of it after the devices silent on their own are raised: alarms first.
        foreach (var outage in decisions.Started.Concat(decisions.Ended))
        {
            await seats.TellAsync(Snapshot(outage));
        }
    }

    private static OutageSnapshot Snapshot(Outage o) => new(o.Id, o.Scope, o.StartedAt, o.EndedAt, o.Silent.Count, o.Peak, o.Back);
}
