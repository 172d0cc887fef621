using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Valid;

namespace ElderIoT.Geofences;

/// <summary>One thing wrong with a zone's geometry, and where (a JSON path into the Feature).</summary>
public sealed record GeometryProblem(string Path, string Message);

/// <summary>
/// Reading and checking zone geometry (GeoJSON, WGS-84 [lon, lat]). The one place that decides what
/// a valid zone is: the API refuses what this refuses, and the grain compiles only what it accepted.
/// </summary>
public static class GeofenceGeometry
{
    /// <summary>Most vertices a zone may have, all rings together: more is a drawing mistake or an attack on the per-reading cost.</summary>
    public const int MaxVertices = 2_000;

    /// <summary>Largest circle radius, metres. A "safe zone" the size of a city protects nobody.</summary>
    public const double MaxRadius = 50_000;

    /// <summary>Largest extent of a polygon zone, metres; also what keeps the local projection's error negligible.</summary>
    public const double MaxExtent = 100_000;

    /// <summary>GeoJSON options for NetTopologySuite geometries and features (RFC 7946: WGS-84, [lon, lat]).</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    /// <summary>
    /// Checks a GeoJSON geometry (at <paramref name="path"/>) and the radius that goes with it.
    /// Returns the problems; none means the geometry may be stored and compiled.
    /// </summary>
    public static IReadOnlyList<GeometryProblem> Validate(JsonElement geometry, double? radius, string path = "geometry")
    {
        var problems = new List<GeometryProblem>();
        if (geometry.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(path, "must be a GeoJSON geometry object"));
            return problems;
        }

        var type = geometry.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (!geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new($"{path}.coordinates", "is required: an array"));
            return problems;
        }

        var vertices = 0;
        switch (type)
        {
            case "Point":
                Position(coordinates, $"{path}.coordinates", problems);
                if (radius is not { } r)
                {
                    problems.Add(new("properties.radius", "is required for a Point: the circle's radius in metres"));
                }
                else if (!double.IsFinite(r) || r <= 0)
                {
                    problems.Add(new("properties.radius", $"{Format(r)} must be greater than 0 metres"));
                }
                else if (r > MaxRadius)
                {
                    problems.Add(new("properties.radius", $"{Format(r)} m is larger than {Format(MaxRadius)} m"));
                }

                return problems;
            case "Polygon":
                Polygon(coordinates, $"{path}.coordinates", problems, ref vertices);
                break;
            case "MultiPolygon":
                if (coordinates.GetArrayLength() == 0)
                {
                    problems.Add(new($"{path}.coordinates", "a MultiPolygon needs at least one polygon"));
                }

                var i = 0;
                foreach (var polygon in coordinates.EnumerateArray())
                {
                    Polygon(polygon, $"{path}.coordinates[{i++}]", problems, ref vertices);
                }

                break;
            default:
                problems.Add(new($"{path}.type", $"'{type}' is not Polygon, MultiPolygon or Point"));
                return problems;
        }

        if (radius is not null)
        {
            problems.Add(new("properties.radius", "applies only to a Point (a circle)"));
        }

        if (vertices > MaxVertices)
        {
            problems.Add(new($"{path}.coordinates", $"{vertices} vertices: at most {MaxVertices}"));
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        // The structure is sound: now what only a geometry library can tell (rings crossing themselves
        // or each other, holes outside their shell), with the place NetTopologySuite found it.
        var parsed = geometry.Deserialize<Geometry>(Json)!;
        var validity = new IsValidOp(parsed);
        if (!validity.IsValid && validity.ValidationError is { } error)
        {
            var at = error.Coordinate is { } c ? $" at [{Format(c.X)}, {Format(c.Y)}]" : "";
            problems.Add(new($"{path}.coordinates", $"{error.Message}{at}"));
            return problems;
        }

        var envelope = parsed.EnvelopeInternal;
        var width = GeoDistance.Metres(envelope.Centre.Y, envelope.MinX, envelope.Centre.Y, envelope.MaxX);
        var height = GeoDistance.Metres(envelope.MinY, envelope.Centre.X, envelope.MaxY, envelope.Centre.X);
        if (Math.Max(width, height) > MaxExtent)
        {
            problems.Add(new($"{path}.coordinates", $"spans {Format(Math.Max(width, height) / 1000)} km: at most {Format(MaxExtent / 1000)} km"));
        }

        return problems;
    }

    /// <summary>Reads stored (already validated) geometry text.</summary>
    public static Geometry Parse(string geoJson) => JsonSerializer.Deserialize<Geometry>(geoJson, Json)!;

    private static void Polygon(JsonElement rings, string path, List<GeometryProblem> problems, ref int vertices)
    {
        if (rings.ValueKind != JsonValueKind.Array || rings.GetArrayLength() == 0)
        {
            problems.Add(new(path, "a Polygon is an array of at least one linear ring"));
            return;
        }

        var r = 0;
        foreach (var ring in rings.EnumerateArray())
        {
            var ringPath = $"{path}[{r++}]";
            if (ring.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new(ringPath, "a linear ring is an array of positions"));
                continue;
            }

            var count = ring.GetArrayLength();
            vertices += count;
            if (vertices > MaxVertices * 4)
            {
                return; // Do not walk a huge payload further: it is refused anyway.
            }

            var positions = new List<(double Lon, double Lat)?>(count);
            var p = 0;
            foreach (var position in ring.EnumerateArray())
            {
                positions.Add(Position(position, $"{ringPath}[{p++}]", problems));
            }

            if (count < 4)
            {
                problems.Add(new(ringPath, $"a linear ring needs at least 4 positions (the first repeated last), got {count}"));
            }
            else if (positions[0] is { } first && positions[^1] is { } last && first != last)
            {
                problems.Add(new(ringPath, $"the ring is not closed: it starts at [{Format(first.Lon)}, {Format(first.Lat)}] and ends at [{Format(last.Lon)}, {Format(last.Lat)}]"));
            }
        }
    }

    private static (double Lon, double Lat)? Position(JsonElement position, string path, List<GeometryProblem> problems)
    {
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
            || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number)
        {
            problems.Add(new(path, "a position is [longitude, latitude] in degrees"));
            return null;
        }

        var lon = position[0].GetDouble();
        var lat = position[1].GetDouble();
        var ok = true;
        if (lon is < -180 or > 180 || !double.IsFinite(lon))
        {
            problems.Add(new(path, $"longitude {Format(lon)} is outside -180..180 (GeoJSON is [longitude, latitude])"));
            ok = false;
        }

        if (lat is < -90 or > 90 || !double.IsFinite(lat))
        {
            problems.Add(new(path, $"latitude {Format(lat)} is outside -90..90 (GeoJSON is [longitude, latitude])"));
            ok = false;
        }

        return ok ? (lon, lat) : null;
    }

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        return options;
    }
}
