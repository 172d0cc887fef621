using System.Text.Json;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Geofences;

namespace ElderIoT.Tests.Geofences;

/// <summary>What a valid zone is, and that the refusal says what is wrong and where.</summary>
public sealed class GeofenceGeometryTests
{
    [Fact]
    public void ASelfIntersectingPolygonIsRefusedWithWhereItCrosses()
    {
        // A bow tie: the edges cross at (0.5, 0.5).
        var problem = Assert.Single(Validate("""{"type":"Polygon","coordinates":[[[118,32],[119,33],[119,32],[118,33],[118,32]]]}"""));
        Assert.Equal("geometry.coordinates", problem.Path);
        Assert.Contains("Self-intersection", problem.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("[118.5, 32.5]", problem.Message);
    }

    [Fact]
    public void AnUnclosedRingIsRefusedNamingTheRingAndItsEnds()
    {
        var problem = Assert.Single(Validate("""{"type":"MultiPolygon","coordinates":[[[[118,32],[118.01,32],[118.01,32.01],[118,32]]],[[[118,32],[118.01,32],[118.01,32.01],[118,32.01]]]]}"""));
        Assert.Equal("geometry.coordinates[1][0]", problem.Path);
        Assert.Contains("not closed", problem.Message);
        Assert.Contains("[118, 32.01]", problem.Message);
    }

    [Fact]
    public void CoordinatesOutOfRangeAreRefusedAtTheirPosition()
    {
        // Latitude and longitude swapped: 118 is no latitude.
        var problems = Validate("""{"type":"Polygon","coordinates":[[[32,118],[32.01,118],[32.01,118.01],[32,118]]]}""");
        Assert.Contains(problems, p => p.Path == "geometry.coordinates[0][0]" && p.Message.Contains("latitude 118 is outside -90..90"));
    }

    [Fact]
    public void MoreVerticesThanTheLimitAreRefused()
    {
        var ring = Enumerable.Range(0, GeofenceGeometry.MaxVertices + 1)
            .Select(k => (Lon: 118 + 0.01 * Math.Cos(2 * Math.PI * k / (GeofenceGeometry.MaxVertices + 1)), Lat: 32 + 0.01 * Math.Sin(2 * Math.PI * k / (GeofenceGeometry.MaxVertices + 1))))
            .ToList();
        ring.Add(ring[0]);
        var json = JsonSerializer.Serialize(new { type = "Polygon", coordinates = new[] { ring.Select(p => new[] { p.Lon, p.Lat }) } });
        var problem = Assert.Single(Validate(json));
        Assert.Contains($"at most {GeofenceGeometry.MaxVertices}", problem.Message);
    }

    [Theory]
    [InlineData(0, "must be greater than 0")]
    [InlineData(-5, "must be greater than 0")]
    [InlineData(80_000, "larger than 50000")]
    public void ACircleRadiusThatIsNotPositiveOrAbsurdlyLargeIsRefused(double radius, string message)
    {
        var problem = Assert.Single(Validate(Shapes.PointJson(), radius));
        Assert.Equal("properties.radius", problem.Path);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void APointWithoutRadiusAndALineAreRefused()
    {
        Assert.Equal("properties.radius", Assert.Single(Validate(Shapes.PointJson())).Path);
        Assert.Equal("geometry.type", Assert.Single(Validate("""{"type":"LineString","coordinates":[[118,32],[118.1,32]]}""")).Path);
    }

    [Fact]
    public void APolygonSpanningACityIsRefused()
    {
        var problem = Assert.Single(Validate("""{"type":"Polygon","coordinates":[[[118,32],[120,32],[120,33],[118,32]]]}"""));
        Assert.Contains("at most 100 km", problem.Message);
    }

    [Fact]
    public void ValidCirclesPolygonsWithHolesAndMultiPolygonsPass()
    {
        Assert.Empty(Validate(Shapes.PointJson(), 150));
        Assert.Empty(Validate($$"""{"type":"Polygon","coordinates":[{{Shapes.Ring(-500, -500, 500, 500)}},{{Shapes.Ring(-100, -100, 100, 100)}}]}"""));
        Assert.Empty(Validate($$"""{"type":"MultiPolygon","coordinates":[[{{Shapes.Ring(-500, -500, 0, 0)}}],[{{Shapes.Ring(100, 100, 400, 400)}}]]}"""));
    }

    [Fact]
    public void DistancesAreMetresNotDegrees()
    {
        var home = new CompiledGeofence(Shapes.Home(radius: 150));
        var (lat, lon) = Shapes.At(0, 400);
        // 400 m north of the centre of a 150 m circle: 250 m outside, also by the haversine formula.
        Assert.Equal(250, home.SignedDistance(lat, lon), 0);
        Assert.Equal(400, GeoDistance.Metres(Shapes.HomeLat, Shapes.HomeLon, lat, lon), 0);
        var square = new CompiledGeofence(new GeofenceDefinition(Guid.NewGuid(), "sq", GeofenceKind.Safe, false, Shapes.RectangleJson(-100, -100, 100, 100), null, null));
        var (eastLat, eastLon) = Shapes.At(130, 0);
        Assert.Equal(30, square.SignedDistance(eastLat, eastLon), 0);
        Assert.Equal(-100, square.SignedDistance(Shapes.HomeLat, Shapes.HomeLon), 0);
        // Beijing ↔ Shanghai, a known great-circle distance of about 1 067 km.
        Assert.Equal(1_067, GeoDistance.Metres(39.9042, 116.4074, 31.2304, 121.4737) / 1000, 0);
    }

    private static IReadOnlyList<GeometryProblem> Validate(string geometry, double? radius = null)
    {
        using var document = JsonDocument.Parse(geometry);
        return GeofenceGeometry.Validate(document.RootElement, radius);
    }
}
