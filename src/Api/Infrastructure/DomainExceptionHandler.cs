using ElderIoT.Api.Language;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Geofences;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ElderIoT.Api.Infrastructure;

/// <summary>Turns the domain's exceptions, thrown inside grains, into ProblemDetails with the right status.</summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            AlarmConflictException => (StatusCodes.Status409Conflict, ApiTexts.AlarmConflict),
            DeviceAlreadyRegisteredException => (StatusCodes.Status409Conflict, ApiTexts.DeviceAlreadyRegistered),
            AlarmNotFoundException or ElderNotFoundException or GeofenceNotFoundException => (StatusCodes.Status404NotFound, ApiTexts.NotFound),
            VisitConflictException => (StatusCodes.Status409Conflict, ApiTexts.VisitNotOpen),
            _ => (0, ApiTexts.NotFound),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title.Render(), Detail = DetailFor(httpContext, exception) },
        });
    }

    /// <summary>
    /// A conflict's message names the seat that holds the alarm: supervisors and admins may know, a
    /// seat learns only that someone else has it (who is on which alarm is not every seat's business).
    /// </summary>
    private static string DetailFor(HttpContext httpContext, Exception exception) =>
        exception is AlarmConflictException && Access.Caller.From(httpContext.User) is not { SeesAllDistricts: true }
            ? ApiTexts.AlarmHeldElsewhere.Render()
            : exception.Message;
}
