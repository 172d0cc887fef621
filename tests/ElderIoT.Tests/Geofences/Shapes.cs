using System.Globalization;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Geofences;

namespace ElderIoT.Tests.Geofences;

/// <summary>Zones and positions placed in metres around a home in Nanjing (颐和路).</summary>
internal static class Shapes
{
    public const double HomeLat = 32.0603;
    public const double HomeLon = 118.7969;

    public static readonly LocalProjection AroundHome = new(HomeLat, HomeLon);

    /// <summary>A position <paramref name="east"/> and <paramref name="north"/> metres from the home.</summary>
    public static (double Lat, double Lon) At(double east, double north) => AroundHome.Unproject(east, north);

    public static string PointJson(double lat = HomeLat, double lon = HomeLon) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"type":"Point","coordinates":[{{lon}},{{lat}}]}""");

    /// <summary>An axis-aligned rectangle, corners in metres from the home.</summary>
    public static string RectangleJson(double west, double south, double east, double north) =>
        $$"""{"type":"Polygon","coordinates":[{{Ring(west, south, east, north)}}]}""";

    /// <summary>A rectangle's ring, counter-clockwise (an outer ring by RFC 7946's right-hand rule), or clockwise for a hole.</summary>
    public static string Ring(double west, double south, double east, double north, bool clockwise = false)
    {
        var corners = new[] { At(west, south), At(east, south), At(east, north), At(west, north), At(west, south) };
        if (clockwise)
        {
            Array.Reverse(corners);
        }

        return "[" + string.Join(",", corners.Select(c => string.Create(CultureInfo.InvariantCulture, $"[{c.Lon},{c.Lat}]"))) + "]";
    }

    public static GeofenceDefinition Home(double radius = 150, GeofenceSchedule? schedule = null) =>
        new(Guid.NewGuid(), "家", GeofenceKind.Safe, true, PointJson(), radius, schedule);

    /// <summary>A river bank: a strip 400 m long, 80 m wide, 300 m north of the home.</summary>
    public static GeofenceDefinition River() =>
        new(Guid.NewGuid(), "秦淮河边", GeofenceKind.Danger, false, RectangleJson(-200, 300, 200, 380), null, null);

    public static GeofenceSettings Settings(int confirmFixes = 3, int confirmAfterSeconds = 60, double margin = 25) =>
        new("Asia/Shanghai", confirmFixes, TimeSpan.FromSeconds(confirmAfterSeconds), margin, 500);
}
