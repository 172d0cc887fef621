using ElderIoT.Api.Language;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ElderIoT.Api.Infrastructure;

/// <summary>
/// Collects field errors of a request; a 400 ProblemDetails names every bad field and why, in the
/// request's language (the messages are keys of <see cref="ApiTexts"/>, rendered when the problem is written).
/// </summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<LocalizedText>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, LocalizedText message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Adds the message when a list's page size is outside 1..<paramref name="max"/>.</summary>
    public void Limit(int limit, int max = 1000)
    {
        if (limit < 1 || limit > max)
        {
            Add("limit", ApiTexts.Between(1, max));
        }
    }

    /// <summary>Adds the message when a district filter is longer than a district prefix may be.</summary>
    public void DistrictFilter(string? district)
    {
        if (district is { Length: > Seats.SeatsApi.MaxDistrictLength })
        {
            Add("district", ApiTexts.AtMostCharacters(Seats.SeatsApi.MaxDistrictLength));
        }
    }

    /// <summary>Adds the message when the value is null or blank.</summary>
    public string Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, ApiTexts.Required);
            return "";
        }

        if (value.Length > maxLength)
        {
            Add(field, ApiTexts.AtMostCharacters(maxLength));
        }

        return value.Trim();
    }

    /// <summary>A list of short texts: at most <paramref name="maxItems"/>, each at most <paramref name="maxLength"/> characters; blanks dropped.</summary>
    public List<string> TextList(string field, IReadOnlyList<string?>? values, int maxItems, int maxLength)
    {
        var list = values ?? [];
        if (list.Count > maxItems)
        {
            Add(field, ApiTexts.AtMostEntries(maxItems));
            return [];
        }

        var kept = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is { Length: > 0 } value && value.Length > maxLength)
            {
                Add($"{field}[{i}]", ApiTexts.AtMostCharacters(maxLength));
            }
            else if (!string.IsNullOrWhiteSpace(list[i]))
            {
                kept.Add(list[i]!.Trim());
            }
        }

        return kept;
    }

    public ValidationProblem ToProblem(LocalizedText? title = null) =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Render()).ToArray()), title: (title ?? ApiTexts.InvalidFields).Render());
}
