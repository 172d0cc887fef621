using System.Globalization;
using System.Text;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ElderIoT.Api.Telemetry;

/// <summary>History: where an elder has been, how their vitals went, what their devices sent.</summary>
public static class TelemetryApi
{
    public static IEndpointRouteBuilder MapTelemetryApi(this IEndpointRouteBuilder app)
    {
        var elders = app.MapGroup("api/elders/{id:guid}").WithTags("History");
        elders.MapGet("positions", PositionsAsync).WithName("ElderPositions")
            .WithSummary("The elder's track in [from, to), thinned to at most maxPoints.");
        // Its own resource rather than ?format=: a JSON list and a GeoJSON object are two documents, and
        // one response with two JSON media types is something OpenAPI validators cannot tell apart.
        elders.MapGet("positions/geojson", PositionsGeoJsonAsync).WithName("ElderPositionsGeoJson")
            .WithSummary("The same track as a GeoJSON LineString Feature (RFC 7946, [lon, lat]; times in properties.times).")
            .Produces(StatusCodes.Status200OK, typeof(object), "application/geo+json");
        elders.MapGet("vitals", VitalsAsync).WithName("ElderVitals").WithSummary("Mean, min and max of a metric per interval; intervals on the centre's clock (whole minutes or hours, a day from local midnight).");
        elders.MapGet("events", EventsAsync).WithName("ElderEvents").WithSummary("Device events (sos, fall, sensors) over time.");
        app.MapGet("api/devices/{id}/telemetry", ReadingsAsync).WithTags("History").WithName("DeviceTelemetry")
            .WithSummary("A device's raw readings; format=csv for export.")
            .AlsoAnswers("text/csv", JsonSchemaType.String);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<TrackPoint>>, ValidationProblem, NotFound>> PositionsAsync(
        Guid id, string? from, string? to, int? maxPoints,
        IGrainFactory grains, ITelemetryStore store, IOptions<TelemetryOptions> options, TimeProvider clock, CancellationToken cancellationToken) =>
        await TrackAsync(id, from, to, maxPoints, grains, store, options, clock, cancellationToken) switch
        {
            { Problem: { } problem } => problem,
            { Track: { } track } => TypedResults.Ok(track.Points),
            _ => TypedResults.NotFound(),
        };

    private static async Task<Results<ContentHttpResult, ValidationProblem, NotFound>> PositionsGeoJsonAsync(
        Guid id, string? from, string? to, int? maxPoints,
        IGrainFactory grains, ITelemetryStore store, IOptions<TelemetryOptions> options, TimeProvider clock, CancellationToken cancellationToken) =>
        await TrackAsync(id, from, to, maxPoints, grains, store, options, clock, cancellationToken) switch
        {
            { Problem: { } problem } => problem,
            { Track: { } track } => TypedResults.Content(GeoJson.LineString(id, track.Start, track.End, track.Points), "application/geo+json"),
            _ => TypedResults.NotFound(),
        };

    /// <summary>The track both forms show; null track and problem when the elder does not exist.</summary>
    private static async Task<(ValidationProblem? Problem, (DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<TrackPoint> Points)? Track)> TrackAsync(
        Guid id, string? from, string? to, int? maxPoints,
        IGrainFactory grains, ITelemetryStore store, IOptions<TelemetryOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var (start, end) = TelemetryQuery.Range(from, to, options.Value, clock, errors);
        var points = maxPoints ?? 1000;
        if (points is < 1 or > 10_000)
        {
            errors.Add("maxPoints", ApiTexts.Between(1, 10000));
        }

        if (errors.Any)
        {
            return (errors.ToProblem(), null);
        }

        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return (null, null);
        }

        return (null, (start, end, await store.GetTrackAsync(id, start, end, points, cancellationToken)));
    }

    private static async Task<Results<Ok<IReadOnlyList<VitalsBucket>>, ValidationProblem, NotFound>> VitalsAsync(
        Guid id, string? metric, string? from, string? to, string? interval,
        IGrainFactory grains, ITelemetryStore store, IOptions<TelemetryOptions> options, TimeProvider clock, CentreTimeZone centre, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (!EnumNames.TryParseSnakeCase<VitalMetric>(metric ?? "hr", out var vital))
        {
            errors.Add("metric", ApiTexts.OneOf("hr", "spo2", "sbp", "dbp", "steps", "battery"));
        }

        var (start, end) = TelemetryQuery.Range(from, to, options.Value, clock, errors);
        var step = TelemetryQuery.Interval(interval, errors);
        if (step is { } s && !errors.Any && (end - start) / s > 10_000)
        {
            errors.Add("interval", ApiTexts.TooManyIntervals(10_000));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await store.GetVitalsAsync(id, vital, start, end, step!.Value, centre.Zone, cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<StoredEvent>>, ValidationProblem, NotFound>> EventsAsync(
        Guid id, string? from, string? to, IGrainFactory grains, ITelemetryStore store, IOptions<TelemetryOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var (start, end) = TelemetryQuery.Range(from, to, options.Value, clock, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await grains.GetGrain<IElderGrain>(id).GetProfileAsync() is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await store.GetEventsAsync(id, start, end, 10_000, cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<StoredReading>>, ContentHttpResult, ValidationProblem, NotFound>> ReadingsAsync(
        string id, string? from, string? to, int? limit, string? format,
        IGrainFactory grains, ITelemetryStore store, IOptions<TelemetryOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (id.Length > 64)
        {
            errors.Add("id", ApiTexts.AtMostCharacters(64));
        }

        var (start, end) = TelemetryQuery.Range(from, to, options.Value, clock, errors);
        var max = limit ?? 10_000;
        if (max is < 1 or > 100_000)
        {
            errors.Add("limit", ApiTexts.Between(1, 100000));
        }

        if (format is not (null or "json" or "csv"))
        {
            errors.Add("format", ApiTexts.OneOf("json", "csv"));
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await grains.GetGrain<IDeviceGrain>(id).GetStatusAsync() is null)
        {
            return TypedResults.NotFound();
        }

        var readings = await store.GetReadingsAsync(id, start, end, max, cancellationToken);
        return format == "csv" ? TypedResults.Content(Csv(readings), "text/csv; charset=utf-8") : TypedResults.Ok(readings);
    }

    private static string Csv(IReadOnlyList<StoredReading> readings)
    {
        var csv = new StringBuilder("ts,lat,lon,acc,hr,spo2,sbp,dbp,steps,battery,worn\n");
        foreach (var (_, r) in readings)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ},{r.Position?.Lat},{r.Position?.Lon},{r.Position?.Accuracy},{r.HeartRate},{r.SpO2},{r.Systolic},{r.Diastolic},{r.Steps},{r.Battery},{(r.Worn is { } w ? (w ? "true" : "false") : "")}\n");
        }

        return csv.ToString();
    }
}
