namespace ElderIoT.Contracts.Notifications;

/// <summary>
/// One notification (an SMS to one contact for one alarm step), keyed by its id: sends it, retries
/// transient failures with backoff, and records every outcome. Idempotent: a sent one is never re-sent.
/// </summary>
public interface INotificationGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Tries to deliver now if it is pending and due; a no-op otherwise. One-way, so that an alarm
    /// never waits on the SMS provider.
    /// </summary>
    [OneWay]
    Task DeliverAsync();

    /// <summary>
    /// Applies the provider's delivery report (Twilio's StatusCallback): <c>delivered</c>, or
    /// <c>failed</c>/<c>undelivered</c> with an error code. Reports of earlier stages are ignored.
    /// Returns false when there is no such notification.
    /// </summary>
    Task<bool> ApplyDeliveryReportAsync(string providerStatus, string? errorCode);
}

/// <summary>Where a notification stands.</summary>
public enum NotificationStatus
{
    /// <summary>Waiting to be sent, or waiting for its next retry.</summary>
    Pending,

    /// <summary>The provider accepted it.</summary>
    Sent,

    /// <summary>The provider reported it delivered (status callback).</summary>
    Delivered,

    /// <summary>Given up after permanent error or too many retries.</summary>
    Failed,

    /// <summary>Not sent because no provider is configured; the reason is recorded.</summary>
    NotSent,
}
