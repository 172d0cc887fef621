using System.Security.Cryptography;
using System.Text;
using ElderIoT.Contracts.Notifications;
using Microsoft.AspNetCore.Http;
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
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> HandleAsync(HttpRequest request, IConfiguration configuration, IGrainFactory grains)
    {
        var form = await request.ReadFormAsync();
        var token = configuration["Twilio:AuthToken"];
        var callbackUrl = configuration["Twilio:StatusCallbackUrl"];
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(callbackUrl))
        {
            return TypedResults.Problem("Twilio delivery reports are not configured (Twilio:AuthToken, Twilio:StatusCallbackUrl).", statusCode: StatusCodes.Status404NotFound);
        }

        var url = callbackUrl.Split('?')[0] + request.QueryString.Value;
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        if (!IsSigned(token, url, fields, request.Headers["X-Twilio-Signature"].ToString()))
        {
            return TypedResults.Problem("X-Twilio-Signature does not match.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!Guid.TryParse(request.Query["notificationId"], out var notificationId) || !fields.TryGetValue("MessageStatus", out var status))
        {
            return TypedResults.Problem("notificationId (query) and MessageStatus (form) are required.", statusCode: StatusCodes.Status400BadRequest);
        }

        fields.TryGetValue("ErrorCode", out var errorCode);
        return await grains.GetGrain<INotificationGrain>(notificationId).ApplyDeliveryReportAsync(status, errorCode)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
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
