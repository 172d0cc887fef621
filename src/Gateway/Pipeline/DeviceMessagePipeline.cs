using System.Diagnostics;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Gateway.Decoding;
using ElderIoT.Gateway.Guard;
using ElderIoT.Gateway.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace ElderIoT.Gateway.Pipeline;

/// <summary>
/// What happens to one message a device publishes, in order: topic ACL → size → decode →
/// hand to the device grain. Each refusal sets the MQTT 5 reason code and reason string (an MQTT
/// 3.1.1 device gets a plain PUBACK, its message dropped), is logged and counted, and leaves the
/// connection up. Only when an event could not be stored is a 3.1.1 connection closed: that is the
/// one way to withhold its PUBACK, so the device sends the event again. An event of an alarm type
/// is never refused once its type is read (the decoder flags what was wrong instead), and events
/// never wait behind telemetry, which passes a bounded <see cref="TelemetryAdmission"/>.
/// </summary>
public sealed partial class DeviceMessagePipeline(
    IGrainFactory grains,
    DevicePayloadDecoder decoder,
    GatewayMetrics metrics,
    TelemetryAdmission admission,
    IOptions<GatewayOptions> options,
    ILogger<DeviceMessagePipeline> logger)
{
    public const string ProtocolVersionItem = "elderiot.protocol";

    /// <summary>Sender of the centre's own commands; '$' is never part of a device id, so no device can pose as it.</summary>
    public const string CentreClientId = "$elderiot";

    public async Task HandleAsync(InterceptingPublishEventArgs args)
    {
        if (args.ClientId == CentreClientId)
        {
            return; // A command going down to a device: route it as usual.
        }

        // A device's messages end here: devices subscribe only to their own commands, so nothing
        // they publish is relayed to anyone.
        args.ProcessPublish = false;
        var message = args.ApplicationMessage;

        if (!DeviceTopic.TryParse(message.Topic, out var topic) || topic.DeviceId != args.ClientId || topic.Kind == DeviceTopicKind.Commands)
        {
            Refuse(args, MqttPubAckReasonCode.NotAuthorized, "acl", $"device '{args.ClientId}' may not publish to '{message.Topic}'");
            return;
        }

        metrics.Message(topic.Kind == DeviceTopicKind.Events ? "event" : "telemetry");
        if (message.Payload.Length > options.Value.MaxPayloadBytes)
        {
            Refuse(args, MqttPubAckReasonCode.PayloadFormatInvalid, "too_large", $"payload of {message.Payload.Length} bytes exceeds {options.Value.MaxPayloadBytes}");
            return;
        }

        if (topic.Kind == DeviceTopicKind.Telemetry)
        {
            await HandleTelemetryAsync(args, topic.DeviceId);
        }
        else
        {
            await HandleEventAsync(args, topic.DeviceId);
        }
    }

    private async Task HandleTelemetryAsync(InterceptingPublishEventArgs args, string deviceId)
    {
        var decoded = Decode(args, () => decoder.DecodeTelemetry(args.ApplicationMessage.Payload));
        if (!decoded.IsValid)
        {
            Refuse(args, MqttPubAckReasonCode.PayloadFormatInvalid, "malformed", decoded.Error!);
            return;
        }

        // The telemetry lane: bounded, so that readings never pile up ahead of an alarm.
        if (args.ApplicationMessage.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
        {
            if (!admission.TryEnter())
            {
                metrics.TelemetryShed("overload");
                return;
            }

            // Nobody waits for a QoS 0 reading: handed on without holding up this device's next
            // message, which may be its SOS.
            _ = ForwardTelemetryAsync(deviceId, decoded.Value!);
            return;
        }

        if (!admission.TryEnter())
        {
            metrics.TelemetryHeld();
            await admission.EnterAsync(args.CancellationToken);
        }

        try
        {
            // QoS 1: the PUBACK waits until the readings are durable (write-ahead log or store).
            await grains.GetGrain<IDeviceGrain>(deviceId).ReportTelemetryAsync(decoded.Value!, TelemetryDelivery.Acknowledged);
            metrics.ReadingsHandled(decoded.Value!.Count);
            args.Response.ReasonCode = MqttPubAckReasonCode.Success;
        }
        catch (Exception exception)
        {
            LogTelemetryFailed(exception, deviceId);
            Unstored(args, "the readings could not be stored; send them again");
        }
        finally
        {
            admission.Leave();
        }
    }

    private async Task ForwardTelemetryAsync(string deviceId, IReadOnlyList<TelemetryReading> readings)
    {
        try
        {
            await grains.GetGrain<IDeviceGrain>(deviceId).ReportTelemetryAsync(readings, TelemetryDelivery.FireAndForget);
            metrics.ReadingsHandled(readings.Count);
        }
        catch (Exception exception)
        {
            metrics.Rejected("unstored");
            LogTelemetryFailed(exception, deviceId);
        }
        finally
        {
            admission.Leave();
        }
    }

    private async Task HandleEventAsync(InterceptingPublishEventArgs args, string deviceId)
    {
        // Events bypass the telemetry admission: an alarm never waits for room behind readings.
        var decoded = Decode(args, () => decoder.DecodeEvent(deviceId, args.ApplicationMessage.Payload));
        if (!decoded.IsValid)
        {
            Refuse(args, MqttPubAckReasonCode.PayloadFormatInvalid, "malformed", decoded.Error!);
            return;
        }

        var deviceEvent = decoded.Value!;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var receipt = await grains.GetGrain<IDeviceGrain>(deviceId).ReportEventAsync(deviceEvent);
            if (receipt.Refusal is { } refusal)
            {
                // Read, but not taken (never an alarm type): on 3.1.1 a plain PUBACK, as for any refused non-alarm event.
                Refuse(args, RefusalCode(refusal.Reason), refusal.Reason.ToSnakeCase(), refusal.Detail);
                return;
            }

            metrics.EventRecorded(Stopwatch.GetElapsedTime(started));
            args.Response.ReasonCode = MqttPubAckReasonCode.Success;
            LogEventRecorded(deviceId, LogText.Safe(deviceEvent.EventId), deviceEvent.Type, receipt.AlarmId, receipt.Duplicate);
            if (!receipt.Duplicate)
            {
                foreach (var anomaly in receipt.Anomalies)
                {
                    metrics.EventAnomaly(anomaly.Kind.ToSnakeCase());
                    LogEventAnomaly(deviceId, LogText.Safe(deviceEvent.EventId), deviceEvent.Type, anomaly.Kind, LogText.Safe(anomaly.Detail, 256));
                }
            }
        }
        catch (AlarmFromResponderDeviceException exception)
        {
            // Refused out loud, and on 3.1.1 (which has no negative PUBACK) the connection is closed:
            // an acknowledged SOS would tell the person pressing it that the centre knows.
            Refuse(args, MqttPubAckReasonCode.NotAuthorized, "responder_alarm", exception.Message + " Call the centre.");
            if (IsMqtt311(args))
            {
                args.CloseConnection = true;
            }
        }
        catch (Exception exception)
        {
            // The alarm is not durably recorded: the device must not see an acknowledgement.
            LogEventFailed(exception, deviceId, LogText.Safe(deviceEvent.EventId), deviceEvent.Type);
            Unstored(args, "the event could not be recorded; send it again");
        }
    }

    /// <summary>
    /// The decode stage, fenced: whatever a payload does to a decoder, it becomes a refusal with a
    /// reason on a connection that stays up (an exception here would make MQTTnet close it, and an
    /// MQTT 3.1.1 device would send the same message for ever).
    /// </summary>
    private DecodeResult<T> Decode<T>(InterceptingPublishEventArgs args, Func<DecodeResult<T>> decode) where T : class
    {
        try
        {
            return decode();
        }
        catch (Exception exception)
        {
            metrics.Rejected("decoder_error");
            LogDecoderFailed(exception, args.ClientId, LogText.Safe(args.ApplicationMessage.Topic));
            return DecodeResult<T>.Invalid($"the payload could not be decoded ({exception.GetType().Name})");
        }
    }

    private void Unstored(InterceptingPublishEventArgs args, string reason)
    {
        metrics.Rejected("unstored");
        args.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
        args.Response.ReasonString = reason;
        if (IsMqtt311(args))
        {
            args.CloseConnection = true;
        }
    }

    private void Refuse(InterceptingPublishEventArgs args, MqttPubAckReasonCode code, string counterReason, string reason)
    {
        metrics.Rejected(counterReason);
        args.Response.ReasonCode = code;
        args.Response.ReasonString = reason;
        LogRefused(args.ClientId, LogText.Safe(args.ApplicationMessage.Topic), code, LogText.Safe(reason, 256));
    }

    /// <summary>
    /// 0x87 when the device may not send this at all; 0x83 ("valid, but not accepted") when the state
    /// behind it is wrong (no such elder, no open visit) and the same event later could be taken.
    /// </summary>
    private static MqttPubAckReasonCode RefusalCode(EventRefusalReason reason) => reason == EventRefusalReason.VisitNotResponderDevice
        ? MqttPubAckReasonCode.NotAuthorized
        : MqttPubAckReasonCode.ImplementationSpecificError;

    private static bool IsMqtt311(InterceptingPublishEventArgs args) =>
        args.SessionItems[ProtocolVersionItem] is MqttProtocolVersion version && version != MqttProtocolVersion.V500;

    [LoggerMessage(6101, LogLevel.Warning, "Refused a message of device {DeviceId} on {Topic}: {ReasonCode} {Reason}")]
    private partial void LogRefused(string deviceId, string topic, MqttPubAckReasonCode reasonCode, string reason);

    [LoggerMessage(6102, LogLevel.Information, "Device {DeviceId} event {EventId} ({Type}) recorded: alarm {AlarmId}, duplicate {Duplicate}")]
    private partial void LogEventRecorded(string deviceId, string eventId, DeviceEventType type, Guid? alarmId, bool duplicate);

    [LoggerMessage(6103, LogLevel.Error, "Device {DeviceId} event {EventId} ({Type}) could not be recorded; not acknowledged")]
    private partial void LogEventFailed(Exception exception, string deviceId, string eventId, DeviceEventType type);

    [LoggerMessage(6104, LogLevel.Warning, "Telemetry of device {DeviceId} could not be stored; not acknowledged")]
    private partial void LogTelemetryFailed(Exception exception, string deviceId);

    [LoggerMessage(6105, LogLevel.Warning, "Device {DeviceId} event {EventId} ({Type}) taken with {Kind}: {Detail}")]
    private partial void LogEventAnomaly(string deviceId, string eventId, DeviceEventType type, EventAnomalyKind kind, string detail);

    [LoggerMessage(6106, LogLevel.Error, "Decoding a message of device {DeviceId} on {Topic} failed; refused")]
    private partial void LogDecoderFailed(Exception exception, string deviceId, string topic);
}
