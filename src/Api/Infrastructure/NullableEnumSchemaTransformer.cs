using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ElderIoT.Api.Infrastructure;

/// <summary>
/// Keeps <c>null</c> out of the shared enum schemas. ASP.NET Core adds null to an enum's values when
/// any property of that enum is nullable, and also writes such properties as <c>oneOf: [null, $ref]</c>;
/// together a null value matches both branches, which breaks <c>oneOf</c> for every validator that
/// reads the document. Nullability stays where it belongs: on the property.
/// </summary>
internal sealed class NullableEnumSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum && schema.Enum is { Count: > 0 } values)
        {
            for (var i = values.Count - 1; i >= 0; i--)
            {
                if (values[i] is null)
                {
                    values.RemoveAt(i);
                }
            }
        }

        return Task.CompletedTask;
    }
}
