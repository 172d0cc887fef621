using ElderIoT.Grains.Notifications.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Notifications;

/// <summary>Composes the SMS provider.</summary>
public static class SmsServiceCollectionExtensions
{
    public const string MeterName = "ElderIoT.Notifications";

    /// <summary>
    /// Twilio when <c>Twilio:*</c> is complete, otherwise a sender that records "not sent". A half
    /// configuration (a SID without a token) stops the start: better than silently texting nobody.
    /// </summary>
    public static IServiceCollection AddElderIoTSms(this IServiceCollection services)
    {
        services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.SectionName)
            .Validate(o => !o.IsPartlyConfigured, "Twilio is partly configured: set AccountSid, AuthToken and FromNumber (or MessagingServiceSid), or none of them.")
            .Validate(o => IsHttp(o.BaseUrl), "Twilio:BaseUrl must be an absolute http(s) URL.")
            .Validate(o => o.StatusCallbackUrl is null || IsHttp(o.StatusCallbackUrl), "Twilio:StatusCallbackUrl must be an absolute http(s) URL.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Twilio:Timeout must be positive.")
            .ValidateOnStart();
        // The sender enforces Twilio:Timeout itself, so that it can tell a timeout from the caller's cancellation.
        services.AddHttpClient<TwilioSmsSender>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddMetrics();
        services.AddSingleton<NotConfiguredSmsSender>();
        // Transient: a typed HttpClient must not be held for the life of the process (its handler is rotated).
        services.AddTransient<ISmsSender>(sp => sp.GetRequiredService<IOptions<TwilioOptions>>().Value.IsConfigured
            ? sp.GetRequiredService<TwilioSmsSender>()
            : sp.GetRequiredService<NotConfiguredSmsSender>());
        return services;
    }

    // On Unix "/twilio" binds as an absolute file: URI, so being absolute is not enough.
    private static bool IsHttp(Uri? url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}
