using ElderIoT.Contracts.Alarms;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Rules;

/// <summary>The detection rules' log lines (event ids 91xx).</summary>
internal static partial class RuleLog
{
    [LoggerMessage(9101, LogLevel.Warning, "Elder {ElderId}: rule {Kind} raised for device {DeviceId}: {Detail}")]
    public static partial void Raised(ILogger logger, Guid elderId, AlarmKind kind, string deviceId, string detail);

    [LoggerMessage(9102, LogLevel.Information, "Elder {ElderId}: rule {Kind} recovered for device {DeviceId}: {Detail}")]
    public static partial void Recovered(ILogger logger, Guid elderId, AlarmKind kind, string deviceId, string detail);

    [LoggerMessage(9103, LogLevel.Error, "Elder {ElderId}: raising the {Kind} alarm a rule confirmed failed")]
    public static partial void RaiseFailed(ILogger logger, Exception exception, Guid elderId, AlarmKind kind);

    [LoggerMessage(9104, LogLevel.Warning, "Elder {ElderId}: recording that {Kind} recovered failed")]
    public static partial void RecoverFailed(ILogger logger, Exception exception, Guid elderId, AlarmKind kind);

    [LoggerMessage(9105, LogLevel.Information, "Elder {ElderId}: door {DeviceId} opened outside night hours; recorded only")]
    public static partial void DoorByDay(ILogger logger, Guid elderId, string deviceId);

    [LoggerMessage(9106, LogLevel.Warning, "Mass outage {OutageId} in {Scope}: {Count} devices silent at once; their device_silent alarms are held while it lasts")]
    public static partial void OutageStarted(ILogger logger, Guid outageId, string scope, int count);

    [LoggerMessage(9107, LogLevel.Information, "Mass outage {OutageId} in {Scope} is over: {Back} devices back, {Still} still silent (raised on their own)")]
    public static partial void OutageEnded(ILogger logger, Guid outageId, string scope, int back, int still);

    [LoggerMessage(9108, LogLevel.Warning, "Supervision could not tell device {DeviceId} it is silent; the next sweep tries again")]
    public static partial void SilenceFailed(ILogger logger, Exception exception, string deviceId);

    [LoggerMessage(9109, LogLevel.Information, "Device {DeviceId} is back after {Silence} silent")]
    public static partial void DeviceBack(ILogger logger, string deviceId, TimeSpan silence);

    [LoggerMessage(9110, LogLevel.Warning, "Elders' rule settings could not be loaded ({Count} failed since the last such line, at most one line per {Every}); their readings are held and each tries again after {RetryAfter}")]
    public static partial void SettingsLoadFailed(ILogger logger, Exception exception, long count, TimeSpan every, TimeSpan retryAfter);
}
