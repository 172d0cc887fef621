using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Api.Language;

/// <summary>
/// The languages the API answers in: the centre's (zh-CN) unless the client asks for English with
/// <c>Accept-Language</c>. ASP.NET Core's request localization reads the header (quality values,
/// fallbacks such as en-GB → en); nothing here parses it by hand.
/// </summary>
public static class ApiLanguages
{
    public const string Centre = "zh-CN";
    public const string English = "en";

    internal static bool IsEnglish(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en";

    /// <summary>zh-CN by default, en on request; only the Accept-Language header decides (no query or cookie switch).</summary>
    public static IServiceCollection AddApiLanguages(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(Centre)
                .AddSupportedCultures(Centre, English)
                .AddSupportedUICultures(Centre, English);
            options.FallBackToParentUICultures = true;
            options.FallBackToParentCultures = true;
            options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>Sets the request's culture before anything can answer, error handlers included.</summary>
    public static IApplicationBuilder UseApiLanguages(this IApplicationBuilder app) => app.UseRequestLocalization();
}
