namespace ElderIoT.Grains.Notifications;

/// <summary>How family notifications are written and retried (section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Time zone in which message times are written (IANA id).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Name of the centre as it signs texts.</summary>
    public string CentreName { get; set; } = "ElderIoT";

    /// <summary>
    /// How long a call of a call tree may go without a final status before the next contact is
    /// called: a lost callback (or none, without <c>Twilio:PublicBaseUrl</c>) never stops the tree.
    /// </summary>
    public TimeSpan CallAnswerTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a transiently failing message is given up.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Delay before the first retry; each further retry waits <see cref="BackoffFactor"/> times longer.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Growth of the retry delay.</summary>
    public double BackoffFactor { get; set; } = 3;

    /// <summary>Upper bound of one retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The delay after the given number of failed attempts (1-based).</summary>
    public TimeSpan RetryDelay(int failedAttempts)
    {
        var seconds = FirstRetryDelay.TotalSeconds * Math.Pow(BackoffFactor, Math.Max(0, failedAttempts - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryDelay.TotalSeconds));
    }
}
