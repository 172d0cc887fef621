using System.Text.Json;
using System.Text.Json.Serialization;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Devices;
using ElderIoT.Api.Elders;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Notifications;
using ElderIoT.Api.Seats;
using ElderIoT.Api.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ElderIoT.Api;

/// <summary>Composes the dispatch REST API.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>JSON (camelCase, enums as snake_case words), ProblemDetails for every error, OpenAPI.</summary>
    public static IServiceCollection AddElderIoTApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.AddOpenApi();
        return services;
    }

    /// <summary>The JSON settings of the API, shared with clients and tests.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    /// <summary>Maps every resource and the OpenAPI document at /openapi/v1.json.</summary>
    public static IEndpointRouteBuilder MapElderIoTApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapEldersApi();
        app.MapDevicesApi();
        app.MapAlarmsApi();
        app.MapSeatsApi();
        app.MapNotificationsApi();
        app.MapTelemetryApi();
        return app;
    }
}
