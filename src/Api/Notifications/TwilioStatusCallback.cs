using System.Security.Cryptography;
using System.Text;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Contracts.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;

namespace ElderIoT.Api.Notifications;

/// <summary>
/// Twilio's delivery reports (StatusCallback). Each request is checked against Twilio's signature:
/// base64 HMAC-SHA1, keyed with the auth token, of the callback URL followed by every form field
/// name and value in name order. The URL is the configured <c>Twilio:StatusCallbackUrl</c> with this
/// request's query, because behind a proxy the address this node sees is not the one Twilio called.
/// </summary>
internal static class TwilioStatusCallback
{
    /// <summary>A status callback has about a dozen short fields; a few times that is still Twilio, more is not.</summary>
    public const int MaxFields = 64;

    /// <summary>The largest callback body read; Twilio's are well under 2 KB.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private const string Endpoint = "TwilioStatusCallback";

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> HandleAsync(
        HttpRequest request, IConfiguration configuration, IGrainFactory grains, ApiMetrics metrics, CancellationToken cancellationToken)
    {
        var token = configuration["Twilio:AuthToken"];
        var callbackUrl = configuration["Twilio:StatusCallbackUrl"];
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(callbackUrl))
        {
            return TypedResults.Problem("Twilio delivery reports are not configured (Twilio:AuthToken, Twilio:StatusCallbackUrl).", statusCode: StatusCodes.Status404NotFound);
        }

        // Nothing is read before the cheap checks: a request without a signature costs no body read.
        var signature = request.Headers["X-Twilio-Signature"].ToString();
        if (signature.Length is 0 or > 100)
        {
            return Refuse(metrics, RefusalReasons.BadSignature, StatusCodes.Status403Forbidden, "X-Twilio-Signature", "the header X-Twilio-Signature, as Twilio signs its callbacks");
        }

        if (!request.HasFormContentType)
        {
            return Refuse(metrics, RefusalReasons.WrongContentType, StatusCodes.Status415UnsupportedMediaType, "body", "Content-Type: application/x-www-form-urlencoded");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions
            {
                ValueCountLimit = MaxFields,
                KeyLengthLimit = 64,
                ValueLengthLimit = 2048,
                BufferBodyLengthLimit = MaxBodyBytes,
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
        {
            return Refuse(metrics, RefusalReasons.FormTooLarge, StatusCodes.Status413PayloadTooLarge, "body",
                $"a form of at most {MaxFields} fields and {MaxBodyBytes} bytes, as Twilio sends");
        }

        var url = callbackUrl.Split('?')[0] + request.QueryString.Value;
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        if (!IsSigned(token, url, fields, signature))
        {
            return Refuse(metrics, RefusalReasons.BadSignature, StatusCodes.Status403Forbidden, "X-Twilio-Signature", "Twilio's signature of this URL and form");
        }

        if (!Guid.TryParse(request.Query["notificationId"], out var notificationId) || !fields.TryGetValue("MessageStatus", out var status))
        {
            return Refuse(metrics, RefusalReasons.InvalidField, StatusCodes.Status400BadRequest, "notificationId", "notificationId (query, a GUID) and MessageStatus (form) are required");
        }

        fields.TryGetValue("ErrorCode", out var errorCode);
        return await grains.GetGrain<INotificationGrain>(notificationId).ApplyDeliveryReportAsync(status, errorCode)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
    }

    private static ProblemHttpResult Refuse(ApiMetrics metrics, string reason, int status, string field, string expected)
    {
        metrics.Refused(reason, Endpoint);
        return TypedResults.Problem(
            title: "The delivery report was refused.",
            detail: $"{field}: {expected}",
            statusCode: status,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [expected] } });
    }

    public static string Sign(string authToken, string url, IReadOnlyDictionary<string, string> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    private static bool IsSigned(string authToken, string url, IReadOnlyDictionary<string, string> fields, string signature) =>
        !string.IsNullOrEmpty(signature)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(authToken, url, fields)), Encoding.ASCII.GetBytes(signature));
}
