using ElderIoT.Gateway.Guard;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace ElderIoT.Gateway.Interop;

/// <summary>
/// A plain MQTT broker — the same MQTTnet server and guarded listener the devices use, with
/// anonymous clients, free topics, retained messages, wills, QoS 0/1/2 and persistent sessions — so
/// that standard conformance suites (Eclipse Paho's interoperability tests) can be run against the
/// broker ElderIoT hosts (docs/interop.md). It is a separate <see cref="MqttServer"/>: its sessions,
/// subscriptions and retained messages are its own, so nothing published here reaches a device or
/// the device pipeline, and nothing a device publishes is seen here.
/// </summary>
public sealed partial class InteropBroker(
    GuardedListeners listeners,
    IOptions<InteropOptions> options,
    ILogger<InteropBroker> logger) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var listener = listeners.Create("interop", settings.BindAddress, settings.Port);
        _server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithPersistentSessions().Build(), [listener]);

        // MQTT 5 lets a client connect with an empty client id and be given one (MQTT5 3.1.3-6);
        // MQTTnet does that only when the host names it. (MQTTnet refuses empty ids from 3.1.1 clients.)
        _server.ValidatingConnectionAsync += args =>
        {
            if (string.IsNullOrEmpty(args.ClientId))
            {
                args.AssignedClientIdentifier = $"interop-{Guid.NewGuid():N}";
            }

            return Task.CompletedTask;
        };
        await _server.StartAsync();
        LogInteropOn(string.IsNullOrWhiteSpace(settings.BindAddress) ? "*" : settings.BindAddress, listener.BoundPort);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(6301, LogLevel.Warning, "MQTT INTEROPERABILITY LISTENER ON at {Address}:{Port}: anonymous clients, any topic, no device ACL. For conformance tests only; never expose it (Gateway:Interop:Enabled=false turns it off). Devices are not served here")]
    private partial void LogInteropOn(string address, int port);
}
