using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace ElderIoT.Api.Infrastructure;

/// <summary>
/// Endpoints that answer the same resource in a second, non-JSON form (CSV) chosen by a query
/// parameter. <c>Produces</c> would replace the JSON answer in the OpenAPI document; this adds the
/// second media type beside it, so the document lists both.
/// </summary>
internal static class AlternativeContentTypes
{
    public static RouteHandlerBuilder AlsoAnswers(this RouteHandlerBuilder builder, string contentType, JsonSchemaType type) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
            {
                content[contentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = type } };
            }

            return Task.CompletedTask;
        });
}
