using System.Text.Json;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts.Elders;
using ElderIoT.Contracts.Geofences;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ElderIoT.Api.Geofences;

/// <summary>/api/elders/{id}/geofences (GeoJSON), the elder's wandering-rule settings, and locate-now.</summary>
public static class GeofencesApi
{
    private const string GeoJson = "application/geo+json";

    /// <summary>A zone at the vertex limit with full-precision coordinates (~40 bytes a position) fits; more is refused unread.</summary>
    public const long MaxFeatureBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapGeofencesApi(this IEndpointRouteBuilder app)
    {
        var elder = app.MapGroup("api/elders/{id:guid}").WithTags("Geofences");
        elder.MapGet("geofences", ListAsync).WithName("ListGeofences").WithSummary("The elder's zones as a GeoJSON FeatureCollection.");
        elder.MapPost("geofences", CreateAsync).WithName("CreateGeofence").WithRequestBodyLimit(MaxFeatureBytes)
            .WithSummary("Add a zone: a GeoJSON Feature (Polygon, MultiPolygon, or Point with properties.radius in metres; properties.kind safe|danger).");
        elder.MapGet("geofences/{fenceId:guid}", GetAsync).WithName("GetGeofence").WithSummary("One zone as a GeoJSON Feature.");
        elder.MapPut("geofences/{fenceId:guid}", ReplaceAsync).WithName("ReplaceGeofence").WithRequestBodyLimit(MaxFeatureBytes).WithSummary("Replace a zone.");
        elder.MapDelete("geofences/{fenceId:guid}", DeleteAsync).WithName("DeleteGeofence").WithSummary("Remove a zone.");
        elder.MapGet("geofence-settings", GetSettingsAsync).WithName("GetGeofenceSettings").WithSummary("The wandering rule's settings in force for the elder.");
        elder.MapPut("geofence-settings", SetSettingsAsync).WithName("SetGeofenceSettings").WithSummary("The elder's own settings; null fields take the configured defaults.");
        elder.MapPost("locate", LocateAsync).WithTags("Locate").WithName("LocateElder")
            .WithSummary("Sends locate to the elder's devices; returns the fresh fix, or after wait seconds the last known one marked stale with its age.");
        return app;
    }

    private static async Task<Results<ContentHttpResult, NotFound>> ListAsync(Guid id, IGrainFactory grains)
    {
        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        var fences = await grains.GetGrain<IElderLocationGrain>(id).GetGeofencesAsync();
        return TypedResults.Content(GeofenceFeatures.WriteCollection(fences).ToJsonString(), GeoJson);
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem, NotFound>> CreateAsync(Guid id, JsonElement feature, IGrainFactory grains, HttpContext http)
    {
        var errors = new RequestErrors();
        if (GeofenceFeatures.Read(feature, Guid.NewGuid(), errors) is not { } fence)
        {
            return errors.ToProblem(ApiTexts.GeofenceInvalid);
        }

        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        var saved = await grains.GetGrain<IElderLocationGrain>(id).SaveGeofenceAsync(fence, mustExist: false);
        http.Response.Headers.Location = $"/api/elders/{id}/geofences/{saved.Id}";
        return TypedResults.Content(GeofenceFeatures.Write(saved).ToJsonString(), GeoJson, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<Results<ContentHttpResult, NotFound>> GetAsync(Guid id, Guid fenceId, IGrainFactory grains)
    {
        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        var fence = (await grains.GetGrain<IElderLocationGrain>(id).GetGeofencesAsync()).FirstOrDefault(f => f.Id == fenceId);
        return fence is null ? TypedResults.NotFound() : TypedResults.Content(GeofenceFeatures.Write(fence).ToJsonString(), GeoJson);
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem, NotFound>> ReplaceAsync(Guid id, Guid fenceId, JsonElement feature, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (GeofenceFeatures.Read(feature, fenceId, errors) is not { } fence)
        {
            return errors.ToProblem(ApiTexts.GeofenceInvalid);
        }

        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        var saved = await grains.GetGrain<IElderLocationGrain>(id).SaveGeofenceAsync(fence, mustExist: true);
        return TypedResults.Content(GeofenceFeatures.Write(saved).ToJsonString(), GeoJson);
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, Guid fenceId, IGrainFactory grains)
    {
        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        await grains.GetGrain<IElderLocationGrain>(id).RemoveGeofenceAsync(fenceId);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<GeofenceSettings>, NotFound>> GetSettingsAsync(Guid id, IGrainFactory grains) =>
        await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await grains.GetGrain<IElderLocationGrain>(id).GetGeofenceSettingsAsync());

    private static async Task<Results<Ok<GeofenceSettings>, ValidationProblem, NotFound>> SetSettingsAsync(Guid id, GeofenceSettingsRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (request.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add("timeZone", ApiTexts.UnknownTimeZone(zone));
        }

        if (request.ConfirmFixes is < 1 or > 100)
        {
            errors.Add("confirmFixes", ApiTexts.Between(1, 100));
        }

        if (request.ConfirmAfterSeconds is < 1 or > 3600)
        {
            errors.Add("confirmAfterSeconds", ApiTexts.Between(1, 3600));
        }

        if (request.Margin is < 0 or > 1000)
        {
            errors.Add("margin", ApiTexts.MetresBetween(0, 1000));
        }

        if (request.MaxAccuracy is < 10 or > 10_000)
        {
            errors.Add("maxAccuracy", ApiTexts.MetresBetween(10, 10000));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await grains.GetGrain<IElderLocationGrain>(id).SetGeofenceSettingsAsync(new GeofenceSettingsOverride(
            request.TimeZone, request.ConfirmFixes, request.ConfirmAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null, request.Margin, request.MaxAccuracy)));
    }

    private static async Task<Results<Ok<LocateResult>, ValidationProblem, NotFound>> LocateAsync(Guid id, IGrainFactory grains, double wait = 15)
    {
        if (wait is < 0.1 or > 25)
        {
            var errors = new RequestErrors();
            errors.Add("wait", ApiTexts.SecondsBetween(0.1, 25));
            return errors.ToProblem();
        }

        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await grains.GetGrain<IElderLocationGrain>(id).LocateAsync(TimeSpan.FromSeconds(wait)));
    }
}

/// <summary>The body of PUT /api/elders/{id}/geofence-settings.</summary>
public sealed record GeofenceSettingsRequest(string? TimeZone, int? ConfirmFixes, double? ConfirmAfterSeconds, double? Margin, double? MaxAccuracy);
