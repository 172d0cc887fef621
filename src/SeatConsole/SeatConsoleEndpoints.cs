using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ElderIoT.SeatConsole;

/// <summary>
/// Serves the dispatch console at /console/. It is a client of the public REST API and the seat
/// stream like any third party's dashboard: nothing here reads the records or the grains.
/// </summary>
public static class SeatConsoleEndpoints
{
    /// <summary>The console's options and files.</summary>
    public static IServiceCollection AddSeatConsole(this IServiceCollection services)
    {
        services.AddOptions<SeatConsoleOptions>().BindConfiguration(SeatConsoleOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.TileUrl) || TileSource(o.TileUrl) is not null, "Console:TileUrl must be an absolute http(s) URL with {z}, {x} and {y}, or empty.")
            .ValidateOnStart();
        services.AddSingleton<ConsoleAssets>();
        return services;
    }

    /// <summary>/ and /console lead to /console/; /console/config.json is the console's settings; the rest are its files.</summary>
    public static IEndpointRouteBuilder MapSeatConsole(this IEndpointRouteBuilder app)
    {
        // A person who types the node's address finds the console, not a 404.
        // The page and its scripts are public like any web app's; everything it shows comes from the
        // API, which asks for the bearer token the console signs in for.
        app.MapGet("/", () => TypedResults.Redirect("/console/")).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/console/config.json", (IOptions<SeatConsoleOptions> options) => TypedResults.Json(new
        {
            tileUrl = options.Value.TileUrl,
            tileAttribution = options.Value.TileAttribution,
            tileMaxZoom = options.Value.TileMaxZoom,
        })).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/console/{**path}", Serve).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static IResult Serve(string? path, HttpContext http, ConsoleAssets assets, IOptions<SeatConsoleOptions> options)
    {
        // Routing matches /console and /console/ alike; the page's relative script paths need the slash.
        if (!http.Request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(path))
        {
            return TypedResults.Redirect("/console/");
        }

        if (assets.Open(path ?? "") is not { } file)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        // Every node serves the same build; a new build must reach the seat at its next reload.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Scripts only from the node itself; pictures also from the tile server; the API on the same origin.
        var tiles = TileSource(options.Value.TileUrl);
        headers.ContentSecurityPolicy = $"default-src 'self'; img-src 'self' data:{(tiles is null ? "" : " " + tiles)}; "
            + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        return TypedResults.Stream(file.Content, file.ContentType);
    }

    /// <summary>The origin of the tile server (for the page's content security policy), or null when the template is unusable.</summary>
    internal static string? TileSource(string? template)
    {
        if (string.IsNullOrWhiteSpace(template) || !template.Contains("{z}", StringComparison.Ordinal)
            || !template.Contains("{x}", StringComparison.Ordinal) || !template.Contains("{y}", StringComparison.Ordinal))
        {
            return null;
        }

        var probe = template.Replace("{s}", "a", StringComparison.Ordinal).Replace("{z}", "0", StringComparison.Ordinal)
            .Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal);
        return Uri.TryCreate(probe, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.GetLeftPart(UriPartial.Authority).Replace("://a.", "://*.", StringComparison.Ordinal)
            : null;
    }
}
