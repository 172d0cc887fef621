using ElderIoT.Api.Infrastructure;
using ElderIoT.Contracts.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace ElderIoT.Api.Notifications;

/// <summary>The part of section <c>Twilio</c> that webhooks are checked with.</summary>
public sealed class TwilioWebhookOptions
{
    /// <summary>The key Twilio signs with.</summary>
    public string? AuthToken { get; set; }

    /// <summary>This centre's address as Twilio calls it: the URL signed is this plus the webhook's path and query.</summary>
    public Uri? PublicBaseUrl { get; set; }
}

/// <summary>
/// Checks that a webhook comes from Twilio before anything in it is used: Twilio's
/// <see cref="RequestValidator"/> over the public URL Twilio called (the configured public base,
/// because behind a proxy the address this node sees is not the one Twilio called) and the form.
/// Unsigned or wrongly signed → 403, counted as <c>bad_signature</c>.
/// </summary>
public sealed class TwilioWebhookVerifier(IOptions<TwilioWebhookOptions> options, ApiMetrics metrics)
{
    /// <summary>A Twilio webhook has a few dozen short fields; a few times that is still Twilio, more is not.</summary>
    public const int MaxFields = 64;

    /// <summary>The largest webhook body read; Twilio's are well under 4 KB (an inbound text is at most 1 600 characters).</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The verified form, or why the request is refused.</summary>
    public async Task<(Dictionary<string, string>? Form, ProblemHttpResult? Refusal)> ReadAsync(HttpRequest request, string path, string endpoint, CancellationToken cancellationToken)
    {
        var token = options.Value.AuthToken;
        if (string.IsNullOrEmpty(token) || options.Value.PublicBaseUrl is not { } root)
        {
            return (null, TypedResults.Problem("Twilio webhooks are not configured (Twilio:AuthToken, Twilio:PublicBaseUrl).", statusCode: StatusCodes.Status404NotFound));
        }

        // Nothing is read before the cheap checks: a request without a signature costs no body read.
        var signature = request.Headers["X-Twilio-Signature"].ToString();
        if (signature.Length is 0 or > 100)
        {
            return (null, Refuse(RefusalReasons.BadSignature, endpoint, StatusCodes.Status403Forbidden, "X-Twilio-Signature", "the header X-Twilio-Signature, as Twilio signs its webhooks"));
        }

        if (!request.HasFormContentType)
        {
            return (null, Refuse(RefusalReasons.WrongContentType, endpoint, StatusCodes.Status415UnsupportedMediaType, "body", "Content-Type: application/x-www-form-urlencoded"));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions
            {
                ValueCountLimit = MaxFields,
                KeyLengthLimit = 64,
                ValueLengthLimit = 4096,
                BufferBodyLengthLimit = MaxBodyBytes,
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
        {
            return (null, Refuse(RefusalReasons.FormTooLarge, endpoint, StatusCodes.Status413PayloadTooLarge, "body",
                $"a form of at most {MaxFields} fields and {MaxBodyBytes} bytes, as Twilio sends"));
        }

        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var url = TwilioWebhooks.Url(root, path).AbsoluteUri + request.QueryString.Value;
        if (!new RequestValidator(token).Validate(url, fields, signature))
        {
            return (null, Refuse(RefusalReasons.BadSignature, endpoint, StatusCodes.Status403Forbidden, "X-Twilio-Signature", "Twilio's signature of this URL and form"));
        }

        return (fields, null);
    }

    /// <summary>Refuses a signed request whose content is not what Twilio sends (counted like the rest).</summary>
    public ProblemHttpResult Refuse(string reason, string endpoint, int status, string field, string expected)
    {
        metrics.Refused(reason, endpoint);
        return TypedResults.Problem(
            title: "The webhook was refused.",
            detail: $"{field}: {expected}",
            statusCode: status,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [expected] } });
    }
}
