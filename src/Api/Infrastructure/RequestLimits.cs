using ElderIoT.Api.Language;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Api.Infrastructure;

/// <summary>Bounds on what a request may carry, and the filter that counts refusals.</summary>
public static class RequestLimits
{
    /// <summary>The body limit of every endpoint that does not set its own: a JSON record, not an upload.</summary>
    public const long DefaultBodyBytes = 64 * 1024;

    /// <summary>
    /// Caps the request body of an endpoint (routing hands the limit to the server, which refuses a
    /// larger body with a 413 as soon as it is read, or at once from its Content-Length).
    /// </summary>
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));

    /// <summary>Counts every validation refusal (a 400 naming fields) by endpoint.</summary>
    public static TBuilder CountRefusals<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if (result is ValidationProblem or INestedHttpResult { Result: ValidationProblem })
            {
                context.HttpContext.RequestServices.GetRequiredService<ApiMetrics>()
                    .Refused(RefusalReasons.InvalidField, context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName);
            }

            return result;
        });

    /// <summary>
    /// A refusal the framework answers with a bare status (a body over the limit is found while
    /// binding, and the server sets 413): names the field, says what is expected, and counts it.
    /// Problems this API writes itself already carry their fields and are counted where they are made.
    /// </summary>
    internal static void DescribeBareRefusal(ProblemDetailsContext context)
    {
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        if (context.Exception is not null || context.ProblemDetails is HttpValidationProblemDetails
            || context.ProblemDetails.Extensions.ContainsKey("errors") || status is not (413 or 415))
        {
            return;
        }

        var (reason, expected) = status == 413
            ? (RefusalReasons.BodyTooLarge, ApiTexts.BodyAtMostBytes(context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultBodyBytes))
            : (RefusalReasons.WrongContentType, ApiTexts.BodyContentType);
        context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { ["body"] = [expected.Render()] };
        context.HttpContext.RequestServices.GetRequiredService<ApiMetrics>()
            .Refused(reason, context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName);
    }

    private sealed class BodyLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }
}
