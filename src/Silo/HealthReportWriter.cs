using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ElderIoT.Silo;

/// <summary>
/// <c>/health/ready</c> as JSON naming each check and why it failed, so whoever is paged for an
/// unready node reads "records: the records database does not answer" rather than a bare "Unhealthy".
/// Descriptions never hold a connection string.
/// </summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, cancellationToken: context.RequestAborted);
    }
}
