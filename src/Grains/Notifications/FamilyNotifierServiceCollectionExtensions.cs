using ElderIoT.Grains.Notifications.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ElderIoT.Grains.Notifications;

/// <summary>Composes how families are reached: Twilio, or a stand-in that records "not sent".</summary>
public static class FamilyNotifierServiceCollectionExtensions
{
    public const string MeterName = "ElderIoT.Notifications";

    /// <summary>
    /// Twilio when <c>Twilio:*</c> is complete, otherwise a notifier that records "not sent". A half
    /// configuration (a SID without a token) stops the start: better than silently reaching nobody.
    /// </summary>
    public static IServiceCollection AddElderIoTFamilyNotifier(this IServiceCollection services)
    {
        services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.SectionName)
            .Validate(o => !o.IsPartlyConfigured, "Twilio is partly configured: set AccountSid, AuthToken and FromNumber (or MessagingServiceSid), or none of them.")
            .Validate(o => IsHttp(o.BaseUrl), "Twilio:BaseUrl must be an absolute http(s) URL.")
            .Validate(o => o.PublicBaseUrl is null || IsHttp(o.PublicBaseUrl), "Twilio:PublicBaseUrl must be an absolute http(s) URL.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Twilio:Timeout must be positive.")
            .Validate(o => o.RingSeconds is >= 5 and <= 600, "Twilio:RingSeconds must be 5 to 600.")
            .ValidateOnStart();
        var client = services.AddHttpClient<TwilioFamilyNotifier>((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<TwilioOptions>>().Value.Timeout);
        client.AddHttpMessageHandler(sp => new TwilioBaseUrlHandler(sp.GetRequiredService<IOptions<TwilioOptions>>().Value.BaseUrl));
        services.AddMetrics();
        services.AddSingleton<NotConfiguredFamilyNotifier>();
        // Transient: a typed HttpClient must not be held for the life of the process (its handler is rotated).
        services.AddTransient<IFamilyNotifier>(sp => sp.GetRequiredService<IOptions<TwilioOptions>>().Value.IsConfigured
            ? sp.GetRequiredService<TwilioFamilyNotifier>()
            : sp.GetRequiredService<NotConfiguredFamilyNotifier>());
        return services;
    }

    // On Unix "/twilio" binds as an absolute file: URI, so being absolute is not enough.
    private static bool IsHttp(Uri? url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}
