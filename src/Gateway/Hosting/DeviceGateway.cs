using System.Net;
using System.Text;
using ElderIoT.Contracts.Devices;
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
/// </summary>
public sealed partial class DeviceGateway(
    IGrainFactory grains,
    DeviceMessagePipeline pipeline,
    GatewayMetrics metrics,
    GuardedListeners listeners,
    LoginThrottle throttle,
    GuardReporter guard,
    TimeProvider time,
    IOptions<GatewayOptions> options,
    ILogger<DeviceGateway> logger) : IHostedService, IDeviceCommandSender, IAsyncDisposable
{
    private const string ListenerName = "device";

    private MqttServer? _server;
    private GuardedTcpServerAdapter? _listener;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            LogDisabled();
            return;
        }

        // The guarded listener replaces MQTTnet's own: it bounds packet sizes, the wait for CONNECT and
        // connections per address before MQTTnet reads anything (see docs/security/gateway-connections.md).
        _listener = listeners.Create(ListenerName, settings.BindAddress, settings.Port);
        _server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().Build(), [_listener]);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.InterceptingPublishAsync += pipeline.HandleAsync;
        _server.ClientConnectedAsync += _ =>
        {
            metrics.Connected();
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += _ =>
        {
            metrics.Disconnected();
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        LogListening(string.IsNullOrWhiteSpace(settings.BindAddress) ? "*" : settings.BindAddress, _listener.BoundPort);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _server?.Dispose();
        await Task.CompletedTask;
    }

    public async Task SendAsync(string deviceId, string jsonCommand, CancellationToken cancellationToken)
    {
        var server = _server ?? throw new InvalidOperationException("The device gateway is not running on this node.");
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(DeviceTopic.Commands(deviceId))
            .WithPayload(Encoding.UTF8.GetBytes(jsonCommand))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = DeviceMessagePipeline.CentreClientId }, cancellationToken);
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        args.SessionItems[DeviceMessagePipeline.ProtocolVersionItem] = args.ProtocolVersion;
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

        var password = args.Password;
        if (string.IsNullOrEmpty(password))
        {
            return new(MqttConnectReasonCode.BadUserNameOrPassword, "no_password", "a device connects with its secret as password");
        }

        DeviceAuthResult result;
        try
        {
            result = await grains.GetGrain<IDeviceGrain>(args.ClientId).AuthenticateAsync(password);
        }
        catch (Exception exception)
        {
            LogAuthFailed(exception, args.ClientId);
            return new(MqttConnectReasonCode.ServerUnavailable, "unavailable", "the centre cannot check credentials right now");
        }

        return result switch
        {
            DeviceAuthResult.Accepted => null,
            DeviceAuthResult.Disabled => new(MqttConnectReasonCode.Banned, "disabled", "device is disabled"),

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

    [LoggerMessage(6001, LogLevel.Information, "Device gateway (MQTT 3.1.1 and 5.0) listening on {Address}:{Port}")]
    private partial void LogListening(string address, int port);

    [LoggerMessage(6005, LogLevel.Information, "Device gateway disabled on this node (Gateway:Enabled=false)")]
    private partial void LogDisabled();

    [LoggerMessage(6002, LogLevel.Warning, "Refused connection of {ClientId} from {Endpoint}: {ReasonCode} {Reason}")]
    private partial void LogConnectionRefused(string clientId, string? endpoint, MqttConnectReasonCode reasonCode, string reason);

    [LoggerMessage(6003, LogLevel.Warning, "Refused subscription of {ClientId} to {Filter}")]
    private partial void LogSubscriptionRefused(string clientId, string filter);

    [LoggerMessage(6004, LogLevel.Error, "Could not check the credentials of {ClientId}")]
    private partial void LogAuthFailed(Exception exception, string clientId);

    private sealed record Refusal(MqttConnectReasonCode Code, string CounterReason, string Reason);
}
