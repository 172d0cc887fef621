using System.Net;
using System.Text;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Decoding;
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
    IOptions<GatewayOptions> options,
    ILogger<DeviceGateway> logger) : IHostedService, IDeviceCommandSender, IAsyncDisposable
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            LogDisabled();
            return;
        }

        var builder = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(settings.Port);
        if (!string.IsNullOrWhiteSpace(settings.BindAddress))
        {
            builder.WithDefaultEndpointBoundIPAddress(IPAddress.Parse(settings.BindAddress));
        }

        _server = new MqttServerFactory().CreateMqttServer(builder.Build());
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
        LogListening(settings.BindAddress ?? "*", settings.Port);
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
        if (string.IsNullOrEmpty(args.ClientId) || args.ClientId != args.UserName)
        {
            Refuse(args, MqttConnectReasonCode.ClientIdentifierNotValid, "client_id", "client id must equal the user name (the device id)");
            return;
        }

        var password = args.Password;
        if (string.IsNullOrEmpty(password))
        {
            Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, "no_password", "a device connects with its secret as password");
            return;
        }

        DeviceAuthResult result;
        try
        {
            result = await grains.GetGrain<IDeviceGrain>(args.ClientId).AuthenticateAsync(password);
        }
        catch (Exception exception)
        {
            LogAuthFailed(exception, args.ClientId);
            Refuse(args, MqttConnectReasonCode.ServerUnavailable, "unavailable", "the centre cannot check credentials right now");
            return;
        }

        switch (result)
        {
            case DeviceAuthResult.Accepted:
                args.ReasonCode = MqttConnectReasonCode.Success;
                break;
            case DeviceAuthResult.Disabled:
                Refuse(args, MqttConnectReasonCode.Banned, "disabled", "device is disabled");
                break;
            default:
                // Unknown device and wrong secret look the same from outside, so ids cannot be probed.
                Refuse(args, MqttConnectReasonCode.BadUserNameOrPassword, result == DeviceAuthResult.UnknownDevice ? "unknown_device" : "bad_secret", "bad device id or secret");
                break;
        }
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
            LogSubscriptionRefused(args.ClientId, filter);
        }

        return Task.CompletedTask;
    }

    private void Refuse(ValidatingConnectionEventArgs args, MqttConnectReasonCode code, string counterReason, string reason)
    {
        args.ReasonCode = code;
        args.ReasonString = reason;
        metrics.ConnectionRefused(counterReason);
        LogConnectionRefused(args.ClientId, args.RemoteEndPoint?.ToString(), code, reason);
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
}
