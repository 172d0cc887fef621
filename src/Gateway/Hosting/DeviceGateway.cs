using System.Net;
using System.Text;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Commands;
using ElderIoT.Gateway.Decoding;
using ElderIoT.Gateway.Guard;
using ElderIoT.Gateway.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace ElderIoT.Gateway.Hosting;

/// <summary>
/// The MQTT broker devices connect to. Hooks: credentials are checked in
/// <c>ValidatingConnectionAsync</c>, the topic ACL for subscriptions in
/// <c>InterceptingSubscriptionAsync</c>, and every publish goes through <see cref="DeviceMessagePipeline"/>.
/// On shutdown it first stops taking connections and events, then lets what is in flight finish, and
/// only then closes the listener: a device never sees a PUBACK for an event the node cannot finish.
/// </summary>
public sealed partial class DeviceGateway(
    IGrainFactory grains,
    DeviceMessagePipeline pipeline,
    DeviceCommandLinks commandLinks,
    GatewayMetrics metrics,
    GuardedListeners listeners,
    LoginThrottle throttle,
    GuardReporter guard,
    TimeProvider time,
    ILocalSiloDetails localSilo,
    IOptions<GatewayOptions> options,
    IOptions<GatewayTlsOptions> tlsOptions,
    ILogger<DeviceGateway> logger) : IHostedLifecycleService, IDeviceCommandSender, IDeviceSessionObserver, IAsyncDisposable
{
    private const string ListenerName = "device";
    private const string TlsListenerName = "device-tls";

    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttServer? _server;
    private readonly List<GuardedTcpServerAdapter> _listeners = [];
    private TlsEndpoint? _tls;
    private IDeviceSessionObserver? _sessionReference;
    private volatile bool _draining;
    private int _inFlight;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            LogDisabled();
            return;
        }

        // The guarded listeners replace MQTTnet's own: they bound packet sizes, the wait for CONNECT (and
        // the TLS handshake) and connections per address before MQTTnet reads anything (docs/security.md).
        if (settings.PlainListener)
        {
            _listeners.Add(listeners.Create(ListenerName, settings.BindAddress, settings.Port));
        }

        var tls = tlsOptions.Value;
        if (tls.Enabled)
        {
            _tls = TlsEndpoint.Load(tls);
            _listeners.Add(listeners.Create(TlsListenerName, settings.BindAddress, tls.Port, _tls));
        }

        // Handed to the device grain with every login, so a grain on any node can end the session here.
        _sessionReference = grains.CreateObjectReference<IDeviceSessionObserver>(this);
        _server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            // Without this MQTTnet ends every session at disconnect, whatever the device asked for, and a
            // device that comes back without subscribing again would never hear its commands.
            .WithPersistentSessions()
            .Build(), [.. _listeners]);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.InterceptingPublishAsync += HandlePublishAsync;
        _server.ClientConnectedAsync += args =>
        {
            metrics.Connected();
            if (commandLinks.Connected(args.ClientId))
            {
                OpenCommandChannel(args.ClientId); // Back to a session that kept its subscription.
            }

            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += args =>
        {
            metrics.Disconnected();
            commandLinks.Disconnected(args.ClientId, sessionEnds: args.SessionItems[DeviceMessagePipeline.ProtocolVersionItem] is MQTTnet.Formatter.MqttProtocolVersion.V500 && args.SessionExpiryInterval == 0);
            return Task.CompletedTask;
        };
        _server.ClientSubscribedTopicAsync += args =>
        {
            if (args.TopicFilter.Topic == DeviceTopic.Commands(args.ClientId))
            {
                commandLinks.Subscribed(args.ClientId);
                OpenCommandChannel(args.ClientId);
            }

            return Task.CompletedTask;
        };
        _server.ClientUnsubscribedTopicAsync += args =>
        {
            if (args.TopicFilter == DeviceTopic.Commands(args.ClientId))
            {
                commandLinks.Unsubscribed(args.ClientId);
            }

            return Task.CompletedTask;
        };
        _server.ClientAcknowledgedPublishPacketAsync += args =>
        {
            if (args.PublishPacket.Topic == DeviceTopic.Commands(args.ClientId)
                && DeviceCommandPayload.TryReadId(System.Buffers.BuffersExtensions.ToArray(args.PublishPacket.Payload), out var commandId))
            {
                Observe(grains.GetGrain<IDeviceGrain>(args.ClientId).CommandAcknowledgedAsync(commandId), args.ClientId);
            }

            return Task.CompletedTask;
        };
        await _server.StartAsync();
        var address = string.IsNullOrWhiteSpace(settings.BindAddress) ? "*" : settings.BindAddress;
        foreach (var listener in _listeners)
        {
            LogListening(listener == _listeners[^1] && _tls is not null ? "MQTT over TLS" : "MQTT", address, listener.BoundPort);
        }
    }

    /// <summary>The port the TLS listener actually bound, when it runs.</summary>
    public int? TlsPort => _tls is null ? null : _listeners[^1].BoundPort;

    /// <summary>
    /// Ends a device's session because its credentials changed. A PUBLISH already being handled finishes
    /// (its alarm is raised; the device may miss the PUBACK and will find itself refused when it resends).
    /// </summary>
    public async Task EndSessionAsync(string deviceId, DeviceCredentialChange because)
    {
        if (_server is not { } server)
        {
            return;
        }

        try
        {
            await server.DisconnectClientAsync(deviceId, new MqttServerClientDisconnectOptions
            {
                // MQTT 5 devices read why; 3.1.1 devices see the connection close.
                ReasonCode = because == DeviceCredentialChange.Disabled ? MqttDisconnectReasonCode.AdministrativeAction : MqttDisconnectReasonCode.NotAuthorized,
                ReasonString = because == DeviceCredentialChange.Disabled ? "device is disabled" : "device secret was rotated; log in with the new one",
            });
        }
        catch (InvalidOperationException)
        {
            // Not connected here: nothing to end.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs before any service stops: from here on no connection is accepted and no event is taken (a
    /// device gets no PUBACK and sends it again, to another node or to this one once it is back).
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_server is not null && !_draining)
        {
            _draining = true;
            LogDraining(Volatile.Read(ref _inFlight));
            if (Volatile.Read(ref _inFlight) == 0)
            {
                _drained.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Lets the messages in flight finish (they are stored and acknowledged), then closes the listener.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }

        await StoppingAsync(cancellationToken);
        try
        {
            await _drained.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(Volatile.Read(ref _inFlight));
        }

        await _server.StopAsync(new MqttServerStopOptions
        {
            DefaultClientDisconnectOptions = new MqttServerClientDisconnectOptions
            {
                ReasonCode = MqttDisconnectReasonCode.ServerShuttingDown,
                ReasonString = "the node is shutting down; reconnect",
            },
        });
        LogStopped();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _tls?.Dispose();
        await Task.CompletedTask;
    }

    public async Task<bool> TrySendAsync(string deviceId, string jsonCommand, CancellationToken cancellationToken)
    {
        if (_server is not { } server || _draining || !commandLinks.CanReceive(deviceId))
        {
            return false;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopic.Commands(deviceId))
            .WithPayload(Encoding.UTF8.GetBytes(jsonCommand))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = DeviceMessagePipeline.CentreClientId }, cancellationToken);
        return true;
    }

    /// <summary>Every publish passes here, so that shutdown knows what is still in flight.</summary>
    private async Task HandlePublishAsync(InterceptingPublishEventArgs args)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (_draining && args.ClientId != DeviceMessagePipeline.CentreClientId)
            {
                // No PUBACK for what this node can no longer finish: closing the connection is the one
                // way to withhold it in both MQTT versions, and the device sends the message again.
                args.ProcessPublish = false;
                args.CloseConnection = true;
                metrics.Rejected("shutting_down");
                return;
            }

            await pipeline.HandleAsync(args);
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && _draining)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>The device can take commands now: its outbox sends what is pending, oldest first.</summary>
    /// <remarks>It names this node, so that commands reach the device here wherever its grain runs.</remarks>
    private void OpenCommandChannel(string deviceId) =>
        Observe(grains.GetGrain<IDeviceGrain>(deviceId).CommandChannelOpenedAsync(localSilo.SiloAddress.ToParsableString()), deviceId);

    /// <summary>
    /// Not awaited inside MQTTnet's event: the outbox publishes through this same broker, and the
    /// device's connection must not wait for its own commands.
    /// </summary>
    private void Observe(Task work, string deviceId) =>
        work.ContinueWith(
            t => LogCommandOutboxFailed(t.Exception!.GetBaseException(), deviceId),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        args.SessionItems[DeviceMessagePipeline.ProtocolVersionItem] = args.ProtocolVersion;
        if (_draining)
        {
            args.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
            args.ReasonString = "the node is shutting down; connect to another node or retry";
            metrics.ConnectionRefused("shutting_down");
            return;
        }

        var (delay, slowedBy) = throttle.DelayFor(args.ClientId, args.RemoteEndPoint);
        if (slowedBy is { } limit)
        {
            guard.Hit(ListenerName, limit, $"a login as {LogText.Safe(args.ClientId)} from {args.RemoteEndPoint}");
            await Task.Delay(delay, time);
        }

        var refusal = await CheckCredentialsAsync(args);
        if (refusal is null)
        {
            throttle.Succeeded(args.ClientId);
            args.ReasonCode = MqttConnectReasonCode.Success;
            commandLinks.Accepted(args.ClientId, persistentSession: args.CleanSession == false && (args.ProtocolVersion != MQTTnet.Formatter.MqttProtocolVersion.V500 || args.SessionExpiryInterval > 0));
            return;
        }

        args.ReasonCode = refusal.Code;
        args.ReasonString = refusal.Reason;
        metrics.ConnectionRefused(refusal.CounterReason);
        if (refusal.Code != MqttConnectReasonCode.ServerUnavailable)
        {
            throttle.Failed(args.ClientId, args.RemoteEndPoint);
        }

        // Once a client id or address is being slowed, the guard's burst summary speaks for its refusals.
        if (slowedBy is null)
        {
            LogConnectionRefused(LogText.Safe(args.ClientId), args.RemoteEndPoint?.ToString(), refusal.Code, refusal.Reason);
        }
    }

    private async Task<Refusal?> CheckCredentialsAsync(ValidatingConnectionEventArgs args)
    {
        if (!DeviceIds.IsWellFormed(args.ClientId))
        {
            return new(MqttConnectReasonCode.ClientIdentifierNotValid, "client_id", "the client id must be a device id (1-64 letters, digits, '-', '_', '.')");
        }

        if (args.ClientId != args.UserName)
        {
            return new(MqttConnectReasonCode.ClientIdentifierNotValid, "client_id", "client id must equal the user name (the device id)");
        }

        // A device certificate (TLS listener) already chains to the device CA; it must also be this device's.
        if (args.ClientCertificate is { } certificate && certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false) != args.ClientId)
        {
            return new(MqttConnectReasonCode.NotAuthorized, "certificate_mismatch", "the client certificate's CN is not this device id");
        }

        var password = args.Password;
        if (string.IsNullOrEmpty(password))
        {
            return new(MqttConnectReasonCode.BadUserNameOrPassword, "no_password", "a device connects with its secret as password");
        }

        DeviceAuthResult result;
        try
        {
            result = await grains.GetGrain<IDeviceGrain>(args.ClientId).AuthenticateAsync(password, _sessionReference);
        }
        catch (Exception exception)
        {
            LogAuthFailed(exception, args.ClientId);
            return new(MqttConnectReasonCode.ServerUnavailable, "unavailable", "the centre cannot check credentials right now");
        }

        return result switch
        {
            DeviceAuthResult.Accepted => null,
            DeviceAuthResult.Disabled => new(MqttConnectReasonCode.NotAuthorized, "disabled", "device is disabled"),

            // Unknown device and wrong secret look the same from outside, so ids cannot be probed.
            _ => new(MqttConnectReasonCode.BadUserNameOrPassword, result == DeviceAuthResult.UnknownDevice ? "unknown_device" : "bad_secret", "bad device id or secret"),
        };
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        var filter = args.TopicFilter.Topic;
        if (filter != DeviceTopic.Commands(args.ClientId))
        {
            args.ProcessSubscription = false;
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            args.Response.ReasonString = $"a device subscribes only to {DeviceTopic.Commands(args.ClientId)}";
            metrics.Rejected("acl_subscribe");
            LogSubscriptionRefused(args.ClientId, LogText.Safe(filter));
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(6001, LogLevel.Information, "Device gateway ({Transport} 3.1.1 and 5.0) listening on {Address}:{Port}")]
    private partial void LogListening(string transport, string address, int port);

    [LoggerMessage(6005, LogLevel.Information, "Device gateway disabled on this node (Gateway:Enabled=false)")]
    private partial void LogDisabled();

    [LoggerMessage(6002, LogLevel.Warning, "Refused connection of {ClientId} from {Endpoint}: {ReasonCode} {Reason}")]
    private partial void LogConnectionRefused(string clientId, string? endpoint, MqttConnectReasonCode reasonCode, string reason);

    [LoggerMessage(6003, LogLevel.Warning, "Refused subscription of {ClientId} to {Filter}")]
    private partial void LogSubscriptionRefused(string clientId, string filter);

    [LoggerMessage(6004, LogLevel.Error, "Could not check the credentials of {ClientId}")]
    private partial void LogAuthFailed(Exception exception, string clientId);

    [LoggerMessage(6006, LogLevel.Information, "Device gateway shutting down: no new connections or events; {InFlight} message(s) in flight finish first")]
    private partial void LogDraining(int inFlight);

    [LoggerMessage(6007, LogLevel.Warning, "Device gateway stopped with {InFlight} message(s) still in flight; their devices get no PUBACK and send them again")]
    private partial void LogDrainTimedOut(int inFlight);

    [LoggerMessage(6008, LogLevel.Information, "Device gateway stopped")]
    private partial void LogStopped();

    [LoggerMessage(6009, LogLevel.Warning, "The command outbox of device {DeviceId} failed; its pending commands stay kept and go out on its next subscription")]
    private partial void LogCommandOutboxFailed(Exception exception, string deviceId);

    private sealed record Refusal(MqttConnectReasonCode Code, string CounterReason, string Reason);
}
