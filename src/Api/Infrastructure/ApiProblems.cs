using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ElderIoT.Api.Infrastructure;

/// <summary>Collects field errors of a request; a 400 ProblemDetails names every bad field and why.</summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Adds the message when the value is null or blank.</summary>
    public string Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
            return "";
        }

        if (value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
        }

        return value.Trim();
    }

    /// <summary>A list of short texts: at most <paramref name="maxItems"/>, each at most <paramref name="maxLength"/> characters; blanks dropped.</summary>
    public List<string> TextList(string field, IReadOnlyList<string?>? values, int maxItems, int maxLength)
    {
        var list = values ?? [];
        if (list.Count > maxItems)
        {
            Add(field, $"at most {maxItems} entries");
            return [];
        }

        var kept = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is { Length: > 0 } value && value.Length > maxLength)
            {
                Add($"{field}[{i}]", $"must be at most {maxLength} characters");
            }
            else if (!string.IsNullOrWhiteSpace(list[i]))
            {
                kept.Add(list[i]!.Trim());
            }
        }

        return kept;
    }

    public ValidationProblem ToProblem(string title = "The request has invalid fields.") =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: title);
}
