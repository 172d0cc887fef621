using ElderIoT.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>Wraps the node's telemetry store: while <see cref="Down"/>, writes fail as an unreachable store's would; <see cref="WriteDelay"/> makes each write slow.</summary>
internal sealed class SwitchableTelemetryStore
{
    public volatile bool Down;

    public TimeSpan WriteDelay { get; set; }

    public void AddTo(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(ITelemetryStore));
        services.Add(ServiceDescriptor.Singleton<ITelemetryStore>(sp => Wrap((ITelemetryStore)original.ImplementationFactory!(sp))));
    }

    /// <summary>A store that writes to <paramref name="inner"/> while this switch allows it.</summary>
    public ITelemetryStore Wrap(ITelemetryStore inner) => new Store(this, inner);

    private sealed class Store(SwitchableTelemetryStore owner, ITelemetryStore inner) : ITelemetryStore
    {
        public async Task WriteAsync(IReadOnlyList<TelemetryEntry> batch, CancellationToken cancellationToken)
        {
            await Task.Delay(owner.WriteDelay, cancellationToken);
            if (owner.Down)
            {
                throw new TelemetryStoreUnavailableException("simulated: the telemetry store does not answer");
            }

            await inner.WriteAsync(batch, cancellationToken);
        }

        public Task<IReadOnlyList<TrackPoint>> GetTrackAsync(Guid elderId, DateTimeOffset from, DateTimeOffset to, int maxPoints, CancellationToken cancellationToken) =>
            inner.GetTrackAsync(elderId, from, to, maxPoints, cancellationToken);

        public Task<IReadOnlyList<VitalsBucket>> GetVitalsAsync(Guid elderId, VitalMetric metric, DateTimeOffset from, DateTimeOffset to, TimeSpan interval, TimeZoneInfo timeZone, CancellationToken cancellationToken) =>
            inner.GetVitalsAsync(elderId, metric, from, to, interval, timeZone, cancellationToken);

        public Task<IReadOnlyList<StoredReading>> GetReadingsAsync(string deviceId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
            inner.GetReadingsAsync(deviceId, from, to, limit, cancellationToken);

        public Task<IReadOnlyList<StoredEvent>> GetEventsAsync(Guid elderId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
            inner.GetEventsAsync(elderId, from, to, limit, cancellationToken);
    }
}
