using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ElderIoT.Api.Language;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ElderIoT.Api.Infrastructure;

/// <summary>
/// A request the framework could not bind (a query value that is not a number, a body that is not
/// JSON, a date in the wrong form) gets the same ProblemDetails as any other invalid field: which
/// field, and the form it expects. Without this, ASP.NET Core answers a bare 400. A body over the
/// endpoint's limit is a 413 and the wrong content type a 415, named the same way; each is counted
/// in <c>elderiot.api.requests_refused</c>.
/// </summary>
internal sealed partial class UnreadableRequestHandler(IProblemDetailsService problems, ApiMetrics metrics) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        // The exception handler has already cleared the endpoint from the context; its feature keeps it.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var (reason, field, message) = bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => (RefusalReasons.BodyTooLarge, "body",
                ApiTexts.BodyAtMostBytes(endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? RequestLimits.DefaultBodyBytes)),
            StatusCodes.Status415UnsupportedMediaType => (RefusalReasons.WrongContentType, "body", ApiTexts.BodyContentType),
            _ => Unreadable(Describe(bad, endpoint?.Metadata.GetMetadata<MethodInfo>())),
        };
        metrics.Refused(reason, endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>()?.EndpointName);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message.Render()] })
            {
                Status = bad.StatusCode,
                Title = ApiTexts.InvalidFields.Render(),
            },
        });
    }

    private static (string Reason, string Field, LocalizedText Message) Unreadable((string Field, LocalizedText Message) described) =>
        (RefusalReasons.Unreadable, described.Field, described.Message);

    /// <summary>The field and what it should look like, from the framework's exception and the handler's signature.</summary>
    internal static (string Field, LocalizedText Message) Describe(BadHttpRequestException exception, MethodInfo? handler)
    {
        var parameter = Parameter().Match(exception.Message);
        if (exception.InnerException is JsonException json)
        {
            var path = json.Path is { Length: > 1 } p ? p.TrimStart('$').TrimStart('.') : "";
            var bodyType = handler?.GetParameters().FirstOrDefault(x => x.Name == parameter.Groups["name"].Value)?.ParameterType;
            // System.Text.Json says "could not be converted" for a value of the wrong type; anything else is broken JSON.
            var type = path.Length == 0 || !json.Message.Contains("could not be converted", StringComparison.Ordinal) ? null : TypeAt(bodyType, path);
            return (path.Length == 0 ? "body" : path, type is null ? ApiTexts.NotValidJsonHere(json.Message.Split(" Path:")[0]) : ApiTexts.MustBe(Expected(type.Name)));
        }

        if (exception.Message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return ("body", ApiTexts.BodyRequired);
        }

        if (!parameter.Success)
        {
            return ("request", LocalizedText.Verbatim(exception.Message));
        }

        var name = parameter.Groups["name"].Value;
        return exception.Message.StartsWith("Required", StringComparison.Ordinal)
            ? (name, ApiTexts.Required)
            : exception.Message.Contains("request body", StringComparison.Ordinal)
                ? ("body", ApiTexts.MustBe(ApiTexts.Forms.Object))
                : (name, ApiTexts.MustBe(Expected(parameter.Groups["type"].Value)));
    }

    /// <summary>The type of the member a JSON path such as <c>contacts[0].phone</c> points at.</summary>
    private static Type? TypeAt(Type? type, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var member = bracket < 0 ? segment : segment[..bracket];
            type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
            type = type?.GetProperty(member, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            if (bracket >= 0 && type is not null)
            {
                type = type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault();
            }
        }

        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    private static LocalizedText Expected(string type) => type.Replace("Nullable<", "").TrimEnd('?', '>') switch
    {
        "int" or "Int32" or "long" or "Int64" => ApiTexts.Forms.WholeNumber,
        "double" or "Double" or "decimal" or "Decimal" => ApiTexts.Forms.Number,
        "bool" or "Boolean" => ApiTexts.Forms.Boolean,
        "Guid" => ApiTexts.Forms.Uuid,
        "DateOnly" => ApiTexts.Forms.Date,
        "DateTimeOffset" or "DateTime" => ApiTexts.Forms.Time,
        "TimeSpan" => ApiTexts.Forms.Duration,
        "String" or "string" => ApiTexts.Forms.Text,
        var other when other.StartsWith("IReadOnlyList", StringComparison.Ordinal) || other.StartsWith("List", StringComparison.Ordinal) => ApiTexts.Forms.Array,
        _ => ApiTexts.Forms.Object,
    };

    [GeneratedRegex("parameter \"(?<type>[^\"]+) (?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex Parameter();
}
