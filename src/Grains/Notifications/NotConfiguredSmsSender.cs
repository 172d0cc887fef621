using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Notifications;

/// <summary>
/// Stands in when no SMS provider is configured, so that the system still runs (a demo, a test bed):
/// every message is recorded as not sent, with the reason, and a warning is logged once.
/// </summary>
internal sealed partial class NotConfiguredSmsSender(ILogger<NotConfiguredSmsSender> logger) : ISmsSender
{
    public const string Reason = "Twilio is not configured (Twilio:AccountSid, Twilio:AuthToken, Twilio:FromNumber)";

    private int _warned;

    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            LogNotConfigured();
        }

        return Task.FromResult(new SmsSendResult(SmsSendOutcome.NotConfigured, Error: Reason));
    }

    [LoggerMessage(2201, LogLevel.Warning, "No SMS provider is configured: family notifications are recorded as not sent. " + Reason)]
    private partial void LogNotConfigured();
}
