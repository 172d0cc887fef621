using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Geofences;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Geofences;

/// <summary>/api/responders: community staff, volunteers, providers and care workers, and who is nearest.</summary>
public static class RespondersApi
{
    public static IEndpointRouteBuilder MapRespondersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/responders").WithTags("Responders");
        group.MapPost("", RegisterAsync).WithName("RegisterResponder").WithSummary("Register (or replace) a responder with a home position.");
        group.MapPut("{id}/position", PositionAsync).WithName("ResponderPosition").WithSummary("A responder's live position.");
        group.MapPut("{id}/availability", AvailabilityAsync).WithName("ResponderAvailability").WithSummary("On or off duty.");
        group.MapPost("{id}/devices", RegisterDeviceAsync).WithName("RegisterResponderDevice")
            .WithSummary("Register the responder's own device; its fixes become their live position. The answer holds the device secret, shown once.");
        group.MapGet("nearest", NearestAsync).WithName("NearestResponders").WithSummary("Available responders nearest a position, straight-line metres.");
        return app;
    }

    private static async Task<Results<Created<ResponderRequest>, ValidationProblem>> RegisterAsync(ResponderRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var id = errors.Required("id", request.Id, 64);
        var name = errors.Required("name", request.Name, 100);
        if (!EnumNames.TryParseSnakeCase<ResponderKind>(request.Kind, out var kind))
        {
            errors.Add("kind", ApiTexts.OneOf("community_staff", "volunteer", "service_provider", "care_worker"));
        }

        var home = request.Home?.Validate("home", errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await grains.GetGrain<IResponderGrain>(id).RegisterAsync(new ResponderProfile(name, kind, request.Phone, home, request.Available ?? true));
        return TypedResults.Created($"/api/responders/{id}", request);
    }

    private static async Task<Results<NoContent, ValidationProblem, NotFound>> PositionAsync(string id, ResponderPositionRequest request, IGrainFactory grains, TimeProvider clock)
    {
        var errors = new RequestErrors();
        var position = new PositionRequest(request.Lat, request.Lon, request.Acc).Validate("position", errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var responder = grains.GetGrain<IResponderGrain>(id);
        if (!await responder.ExistsAsync())
        {
            return TypedResults.NotFound();
        }

        await responder.ReportPositionAsync(position!, request.At ?? clock.GetUtcNow());
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<DeviceRegistration>, ValidationProblem, NotFound, Conflict<string>>> RegisterDeviceAsync(
        string id, ResponderDeviceRequest request, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var deviceId = errors.Required("id", request.Id, DeviceIds.MaxLength);
        if (deviceId.Length > 0 && !DeviceIds.IsWellFormed(deviceId))
        {
            errors.Add("id", ApiTexts.DeviceIdCharacters);
        }

        if (!EnumNames.TryParseSnakeCase<DeviceKind>(request.Kind, out var kind) || kind == DeviceKind.Sensor)
        {
            errors.Add("kind", ApiTexts.OneOf("watch", "handset"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!await grains.GetGrain<IResponderGrain>(id).ExistsAsync())
        {
            return TypedResults.NotFound();
        }

        var registration = await grains.GetGrain<IDeviceGrain>(deviceId).RegisterForResponderAsync(kind, id);
        return TypedResults.Created($"/api/devices/{deviceId}", registration);
    }

    private static async Task<Results<NoContent, NotFound>> AvailabilityAsync(string id, ResponderAvailabilityRequest request, IGrainFactory grains)
    {
        var responder = grains.GetGrain<IResponderGrain>(id);
        if (!await responder.ExistsAsync())
        {
            return TypedResults.NotFound();
        }

        await responder.SetAvailableAsync(request.Available);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<NearbyResponder>>, ValidationProblem>> NearestAsync(
        double? lat, double? lon, IDbContextFactory<ElderIoTDbContext> contexts, TimeProvider clock, int limit = 5)
    {
        var errors = new RequestErrors();
        var position = new PositionRequest(lat, lon, null).Validate("position", errors);
        if (limit is < 1 or > 100)
        {
            errors.Add("limit", ApiTexts.Between(1, 100));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await ResponderQueries.NearestAsync(contexts, position!, limit, clock.GetUtcNow()));
    }
}

/// <summary>The body of POST /api/responders.</summary>
public sealed record ResponderRequest(string? Id, string? Name, string? Kind, string? Phone, PositionRequest? Home, bool? Available);

/// <summary>The body of PUT /api/responders/{id}/position.</summary>
public sealed record ResponderPositionRequest(double? Lat, double? Lon, double? Acc, DateTimeOffset? At);

/// <summary>The body of POST /api/responders/{id}/devices.</summary>
public sealed record ResponderDeviceRequest(string? Id, string? Kind);

/// <summary>The body of PUT /api/responders/{id}/availability.</summary>
public sealed record ResponderAvailabilityRequest(bool Available);

/// <summary>A responder near the elder, with straight-line distance and where the position came from.</summary>
public sealed record NearbyResponder(string Id, string Name, ResponderKind Kind, string? Phone, double DistanceMetres, GeoPosition Position, string PositionSource, DateTimeOffset? PositionAt);

/// <summary>The read side of "who is near" (就近服务).</summary>
public static class ResponderQueries
{
    /// <summary>A live position older than this no longer says where the responder is; their home does.</summary>
    public static readonly TimeSpan LiveFor = TimeSpan.FromMinutes(30);

    /// <summary>Nobody farther than this is "near": about the half-width of the search box.</summary>
    private const double MaxDistanceMetres = 55_000;

    /// <summary>
    /// Available responders nearest <paramref name="to"/>, by haversine distance from their live
    /// position (if fresh) or their home. Candidates are first narrowed in SQL to a box of about
    /// ±0.5° (55 km) so a city's worth of responders is not read for every alarm card.
    /// </summary>
    public static async Task<IReadOnlyList<NearbyResponder>> NearestAsync(IDbContextFactory<ElderIoTDbContext> contexts, GeoPosition to, int limit, DateTimeOffset now)
    {
        const double box = 0.5;
        double minLat = to.Lat - box, maxLat = to.Lat + box;
        // A degree of longitude shrinks with the cosine of the latitude: the box is as wide in metres as it is tall.
        var lonBox = box / Math.Max(Math.Cos(to.Lat * Math.PI / 180), 0.01);
        double minLon = to.Lon - lonBox, maxLon = to.Lon + lonBox;
        var liveSince = now - LiveFor;
        await using var db = await contexts.CreateDbContextAsync();
        var candidates = await db.Responders.AsNoTracking()
            .Where(r => r.Available && (
                (r.LiveLat >= minLat && r.LiveLat <= maxLat && r.LiveLon >= minLon && r.LiveLon <= maxLon) ||
                (r.HomeLat >= minLat && r.HomeLat <= maxLat && r.HomeLon >= minLon && r.HomeLon <= maxLon)))
            .ToListAsync();
        return [.. candidates
            .Select(r => (r.LiveLat is { } la && r.LiveLon is { } lo && r.LiveAt >= liveSince)
                ? (Record: r, Position: new GeoPosition(la, lo, r.LiveAccuracy), Source: "live", At: r.LiveAt)
                : (r.HomeLat is { } hla && r.HomeLon is { } hlo ? (Record: r, Position: new GeoPosition(hla, hlo), Source: "home", At: (DateTimeOffset?)null) : (r, null!, "", null)))
            .Where(c => c.Position is not null)
            .Select(c => new NearbyResponder(c.Record.Id, c.Record.Name, EnumNames.ParseSnakeCase<ResponderKind>(c.Record.Kind), c.Record.Phone,
                Math.Round(GeoDistance.Metres(to.Lat, to.Lon, c.Position.Lat, c.Position.Lon)), c.Position, c.Source, c.At))
            .Where(n => n.DistanceMetres <= MaxDistanceMetres) // the box's corners, and a live position that left it
            .OrderBy(n => n.DistanceMetres)
            .Take(limit)];
    }
}
