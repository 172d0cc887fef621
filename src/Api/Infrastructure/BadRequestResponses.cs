using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ElderIoT.Api.Infrastructure;

/// <summary>
/// Every operation that reads a parameter or a body can answer 400 (a value that cannot be bound,
/// see <see cref="UnreadableRequestHandler"/>), so the document says so for each of them, with the
/// validation ProblemDetails the API really sends.
/// </summary>
internal sealed class BadRequestResponses : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var readsInput = operation.Parameters is { Count: > 0 } || operation.RequestBody is not null;
        if (readsInput && operation.Responses is { } responses && !responses.ContainsKey("400"))
        {
            responses["400"] = new OpenApiResponse
            {
                Description = "Bad Request: errors names each field and the form it expects.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("HttpValidationProblemDetails", context.Document) },
                },
            };
        }

        return Task.CompletedTask;
    }
}
