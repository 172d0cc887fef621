using System.Diagnostics.Metrics;

namespace ElderIoT.Api.Infrastructure;

/// <summary>REST counters (meter <c>ElderIoT.Api</c>).</summary>
public sealed class ApiMetrics
{
    public const string MeterName = "ElderIoT.Api";

    private readonly Counter<long> _refused;

    public ApiMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _refused = meter.CreateCounter<long>("elderiot.api.requests_refused",
            description: "Requests refused for what the client sent (400, 403, 413, 415), by reason and endpoint.");
    }

    /// <summary>Counts one refused request. <paramref name="reason"/> is one of <see cref="RefusalReasons"/>.</summary>
    public void Refused(string reason, string? endpoint) =>
        _refused.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("endpoint", endpoint ?? "unknown"));
}

/// <summary>The reasons a request is refused, as the <c>reason</c> tag of <c>elderiot.api.requests_refused</c>.</summary>
public static class RefusalReasons
{
    /// <summary>A field or parameter was read but its value is not allowed (too long, too many, out of range, wrong form).</summary>
    public const string InvalidField = "invalid_field";

    /// <summary>A parameter or the body could not be read at all: not JSON, not a number, not a GUID, missing.</summary>
    public const string Unreadable = "unreadable";

    /// <summary>The body is larger than the endpoint takes.</summary>
    public const string BodyTooLarge = "body_too_large";

    /// <summary>A form with more fields, or longer ones, than the endpoint takes.</summary>
    public const string FormTooLarge = "form_too_large";

    /// <summary>The body is not of the content type the endpoint reads.</summary>
    public const string WrongContentType = "wrong_content_type";

    /// <summary>A callback whose signature is missing or does not match.</summary>
    public const string BadSignature = "bad_signature";
}
