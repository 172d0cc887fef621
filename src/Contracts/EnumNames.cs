using System.Text.Json;

namespace ElderIoT.Contracts;

/// <summary>Enum values as the snake_case words used on the wire and in the records.</summary>
public static class EnumNames
{
    /// <summary>SosCancel → sos_cancel.</summary>
    public static string ToSnakeCase<T>(this T value) where T : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>sos_cancel → SosCancel; false when the word names no value.</summary>
    public static bool TryParseSnakeCase<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToSnakeCase(), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a stored snake_case word; a value that names nothing is a corrupt record.</summary>
    public static T ParseSnakeCase<T>(string text) where T : struct, Enum =>
        TryParseSnakeCase<T>(text, out var value)
            ? value
            : throw new InvalidDataException($"'{text}' is not a {typeof(T).Name}.");
}
