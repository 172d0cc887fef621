using ElderIoT.Api.Language;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Api.Access;

/// <summary>
/// Applies <see cref="AccessTable"/> to an endpoint group: each named endpoint gets its policy (the
/// authorization middleware checks the role before anything runs) and, when it has a scope or is a
/// read of personal data, the filter below, which checks the record and writes the audit row.
/// </summary>
public static class AccessConventions
{
    public static TBuilder WithAccessTable<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        // Finally: the endpoint's own WithName has run, so its name is known here.
        builder.Finally(endpoint =>
        {
            var name = endpoint.Metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;
            if (name is null || !AccessTable.Endpoints.TryGetValue(name, out var access))
            {
                return; // Declares its own access, or none: the endpoint table test names it.
            }

            endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(access.Policy));
            endpoint.Metadata.Add(access);
        });
        // The handler is composed before the Finally above runs, so the filter is added to every
        // endpoint here and reads the endpoint's access at request time.
        builder.AddEndpointFilter((invocation, next) =>
            invocation.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EndpointAccess>() is { } access
            && (access.Scope != AccessScope.None || access.Audit is not null)
                ? AccessFilter.InvokeAsync(access, invocation, next)
                : next(invocation));
        return builder;
    }
}

/// <summary>The record-level check and the audit row of one request (see <see cref="AccessGuard"/>).</summary>
internal static class AccessFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointAccess access, EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (Caller.From(http.User) is not { } caller)
        {
            return Forbidden();
        }

        var guard = http.RequestServices.GetRequiredService<AccessGuard>();
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        Guid? elderId = null;
        string? subject = null;
        Guid? why = null;
        switch (access.Scope)
        {
            case AccessScope.Elder when Guid.TryParse(http.GetRouteValue("id") as string, out var elder):
                elderId = elder;
                if (!caller.SeesAllDistricts && (why = await guard.HandledAlarmAsync(caller, elder)) is null)
                {
                    return Forbidden();
                }

                break;

            case AccessScope.Alarm when Guid.TryParse(http.GetRouteValue("id") as string ?? http.Request.Query["alarmId"].ToString(), out var alarmId):
                subject = alarmId.ToString();
                if (await grains.GetGrain<IAlarmGrain>(alarmId).GetAsync() is not { } alarm)
                {
                    break; // The endpoint answers 404.
                }

                elderId = alarm.ElderId;
                why = alarmId;
                if (!caller.SeesAllDistricts && !await guard.SeatMaySeeAsync(caller, alarm))
                {
                    return Forbidden();
                }

                break;

            case AccessScope.Alarm when !caller.SeesAllDistricts:
                // No alarm named: a list across alarms (the notifications of every alarm), for supervisors and admins only.
                return Forbidden();

            case AccessScope.Device when http.GetRouteValue("id") is string deviceId:
                subject = deviceId;
                if (await grains.GetGrain<IDeviceGrain>(deviceId).GetStatusAsync() is not { } device)
                {
                    break; // The endpoint answers 404.
                }

                elderId = device.ElderId == Guid.Empty ? null : device.ElderId;
                // An installer works on any device, and sees none of its health data (the endpoint strips it).
                if (caller.Role != AccessRole.Installer && !caller.SeesAllDistricts
                    && (elderId is not { } owner || (why = await guard.HandledAlarmAsync(caller, owner)) is null))
                {
                    return Forbidden();
                }

                break;

            case AccessScope.Seat when http.GetRouteValue("seatId") is string seatId:
                subject = seatId;
                // A seat is only ever itself; supervisors and admins manage the roster.
                if (!caller.SeesAllDistricts && caller.SeatId != seatId)
                {
                    return Forbidden();
                }

                break;
        }

        if (access.Audit is { } action)
        {
            try
            {
                await http.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(caller, action, elderId, subject, why, http.RequestAborted);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A disk that cannot take the row must not keep a seat from the alarm: counted and logged.
                http.RequestServices.GetRequiredService<AccessMetrics>().Degraded(AccessMetrics.AuditWriteFailed, action, exception);
            }
        }

        return await next(invocation);
    }

    /// <summary>403 with a ProblemDetails that says nothing about the record asked for.</summary>
    public static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(title: ApiTexts.Forbidden.Render(), statusCode: StatusCodes.Status403Forbidden);
}
