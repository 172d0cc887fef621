namespace ElderIoT.Geofences;

/// <summary>Great-circle distances on the WGS-84 mean sphere: metres, never degrees.</summary>
public static class GeoDistance
{
    /// <summary>The mean Earth radius (IUGG), metres. The sphere is within 0.5 % of the ellipsoid: ample for "who is nearest".</summary>
    public const double EarthRadius = 6_371_008.8;

    /// <summary>Haversine distance in metres between two WGS-84 positions.</summary>
    public static double Metres(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = ToRadians(lat2 - lat1);
        var dLon = ToRadians(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(ToRadians(lat1)) * Math.Cos(ToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    internal static double ToRadians(double degrees) => degrees * Math.PI / 180;
}

/// <summary>
/// A local equirectangular projection around one origin: x metres east, y metres north. Within the
/// 100 km a zone may span, its distance error stays under 0.2 % (the cosine of latitude varies by
/// that little across it), which is well inside GPS accuracy; one projection per zone, centred on it.
/// </summary>
public readonly record struct LocalProjection(double OriginLat, double OriginLon)
{
    private double MetresPerDegreeLat => GeoDistance.EarthRadius * Math.PI / 180;

    private double MetresPerDegreeLon => MetresPerDegreeLat * Math.Cos(GeoDistance.ToRadians(OriginLat));

    /// <summary>WGS-84 → local metres.</summary>
    public (double X, double Y) Project(double lat, double lon)
    {
        var dLon = lon - OriginLon;
        // Across the antimeridian the short way round is meant.
        if (dLon > 180)
        {
            dLon -= 360;
        }
        else if (dLon < -180)
        {
            dLon += 360;
        }

        return (dLon * MetresPerDegreeLon, (lat - OriginLat) * MetresPerDegreeLat);
    }

    /// <summary>Local metres → WGS-84.</summary>
    public (double Lat, double Lon) Unproject(double x, double y) =>
        (OriginLat + y / MetresPerDegreeLat, OriginLon + x / MetresPerDegreeLon);
}
