using Microsoft.Extensions.Logging;

namespace ElderIoT.Grains.Notifications;

/// <summary>
/// Stands in when no provider is configured, so that the system still runs (a demo, a test bed):
/// every text and call is recorded as not sent, with the reason, and a warning is logged once.
/// </summary>
internal sealed partial class NotConfiguredFamilyNotifier(ILogger<NotConfiguredFamilyNotifier> logger) : IFamilyNotifier
{
    public const string Reason = "Twilio is not configured (Twilio:AccountSid, Twilio:AuthToken, Twilio:FromNumber)";

    private int _warned;

    public Task<SendResult> SendSmsAsync(SmsMessage message, CancellationToken cancellationToken) => NotSent();

    public Task<SendResult> CallAsync(VoiceCall call, CancellationToken cancellationToken) => NotSent();

    private Task<SendResult> NotSent()
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            LogNotConfigured();
        }

        return Task.FromResult(new SendResult(SendOutcome.NotConfigured, Error: Reason));
    }

    [LoggerMessage(2201, LogLevel.Warning, "No notification provider is configured: family texts and calls are recorded as not sent. " + Reason)]
    private partial void LogNotConfigured();
}
