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
            AlarmConflictException => (StatusCodes.Status409Conflict, "The alarm is not in a state that allows this."),
            DeviceAlreadyRegisteredException => (StatusCodes.Status409Conflict, "The device is already registered."),
            AlarmNotFoundException or ElderNotFoundException or GeofenceNotFoundException => (StatusCodes.Status404NotFound, "Not found."),
            VisitConflictException => (StatusCodes.Status409Conflict, "The visit is not open."),
            _ => (0, ""),
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
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = exception.Message },
        });
    }
}
