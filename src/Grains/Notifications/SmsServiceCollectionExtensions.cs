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
            .Validate(o => o.BaseUrl.IsAbsoluteUri, "Twilio:BaseUrl must be an absolute URL.")
            .Validate(o => o.StatusCallbackUrl is null || o.StatusCallbackUrl.IsAbsoluteUri, "Twilio:StatusCallbackUrl must be an absolute URL.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Twilio:Timeout must be positive.")
            .ValidateOnStart();
        services.AddHttpClient<TwilioSmsSender>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<NotConfiguredSmsSender>();
        // Transient: a typed HttpClient must not be held for the life of the process (its handler is rotated).
        services.AddTransient<ISmsSender>(sp => sp.GetRequiredService<IOptions<TwilioOptions>>().Value.IsConfigured
            ? sp.GetRequiredService<TwilioSmsSender>()
            : sp.GetRequiredService<NotConfiguredSmsSender>());
        return services;
    }
}
