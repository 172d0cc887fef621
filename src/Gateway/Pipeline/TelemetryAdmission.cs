using ElderIoT.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace ElderIoT.Gateway.Pipeline;

/// <summary>
/// Bounds the telemetry in flight between the gateway and the grains (<c>Gateway:MaxTelemetryInFlight</c>),
/// so that readings arriving faster than the node handles them never queue up ahead of an alarm.
/// Events do not pass through here: they have their own lane. Under overload a QoS 0 reading is
/// shed (nobody is waiting for it), a QoS 1 reading waits for room, which withholds its PUBACK and
/// slows the device down.
/// </summary>
public sealed class TelemetryAdmission(IOptions<GatewayOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _room = new(options.Value.MaxTelemetryInFlight, options.Value.MaxTelemetryInFlight);

    /// <summary>Telemetry messages admitted and not yet handled.</summary>
    public int InFlight => options.Value.MaxTelemetryInFlight - _room.CurrentCount;

    /// <summary>Takes a place if one is free now.</summary>
    public bool TryEnter() => _room.Wait(0);

    /// <summary>Waits for a place.</summary>
    public Task EnterAsync(CancellationToken cancellationToken) => _room.WaitAsync(cancellationToken);

    /// <summary>Gives a place back once the message is handled (or failed).</summary>
    public void Leave() => _room.Release();

    public void Dispose() => _room.Dispose();
}
