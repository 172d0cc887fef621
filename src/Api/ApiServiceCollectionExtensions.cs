using System.Text.Json;
using System.Text.Json.Serialization;
using ElderIoT.Api.Access;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Broadcasts;
using ElderIoT.Api.Callbacks;
using ElderIoT.Api.Centre;
using ElderIoT.Api.Devices;
using ElderIoT.Api.Elders;
using ElderIoT.Api.Geofences;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Api.Notifications;
using ElderIoT.Api.Reports;
using ElderIoT.Api.Rules;
using ElderIoT.Api.Seats;
using ElderIoT.Api.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace ElderIoT.Api;

/// <summary>Composes the dispatch REST API.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>JSON (camelCase, enums as snake_case words), ProblemDetails for every error, OpenAPI.</summary>
    public static IServiceCollection AddElderIoTApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail ??= ApiTexts.SendJson.Render();
            }

            RequestLimits.DescribeBareRefusal(context);
        });
        services.AddApiLanguages();
        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<CentreTimeZone>();
        // Bound here as well as in the silo's notifier: the API may run where the notifier does not.
        services.AddOptions<TwilioWebhookOptions>().BindConfiguration("Twilio");
        services.AddSingleton<TwilioWebhookVerifier>();
        services.AddSingleton<FamilyReplies>();
        services.AddSingleton<CareMessageOptOuts>();
        services.AddExceptionHandler<DomainExceptionHandler>();
        // Binding failures go to UnreadableRequestHandler, which names the field, instead of a bare 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<UnreadableRequestHandler>();
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer<NullableEnumSchemaTransformer>();
            options.AddOperationTransformer<BadRequestResponses>();
            options.AddDocumentTransformer<BearerSecurity>();
            options.AddOperationTransformer<BearerSecurity>();
        });
        services.AddElderIoTAccess();
        return services;
    }

    /// <summary>The JSON settings of the API, shared with clients and tests.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Numbers are numbers: the web default also reads "5" as 5, which makes every number in the
        // OpenAPI document ["integer","string"] and lets a client's bug pass unnoticed.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    /// <summary>Maps every resource, the OpenAPI document at /openapi/v1.json and its reference page at /api/reference.</summary>
    public static IEndpointRouteBuilder MapElderIoTApi(this IEndpointRouteBuilder app)
    {
        // The document and its page describe the API, they hold no one's data: open, like /health.
        app.MapOpenApi().AllowAnonymous();
        // The reference page for the document; its script is served by the node itself, no CDN.
        app.MapScalarApiReference("/api/reference", options => options.WithTitle("ElderIoT API")
            .AddPreferredSecuritySchemes(BearerSecurity.SchemeName)).AllowAnonymous();
        // Every resource under one group: a small default body limit (endpoints that need more say
        // so) and every validation refusal counted.
        // Every endpoint of the group is reached as AccessTable says (role policy, record scope, audit).
        var api = app.MapGroup("").WithRequestBodyLimit(RequestLimits.DefaultBodyBytes).CountRefusals().WithAccessTable();
        api.MapElderIoTAccess();
        api.MapEldersApi();
        api.MapDevicesApi();
        api.MapAlarmsApi();
        api.MapCallbacksApi();
        api.MapSeatsApi();
        api.MapNotificationsApi();
        api.MapTelemetryApi();
        api.MapGeofencesApi();
        api.MapRespondersApi();
        api.MapReportsApi();
        api.MapBroadcastsApi();
        api.MapVisitsApi();
        api.MapCentreApi();
        api.MapAlarmRulesApi();
        return app;
    }
}
