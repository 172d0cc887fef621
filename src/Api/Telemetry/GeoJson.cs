using System.Text.Json;
using ElderIoT.Telemetry;

namespace ElderIoT.Api.Telemetry;

/// <summary>A track as a GeoJSON Feature (RFC 7946): a LineString in [lon, lat] order, with the time of each point.</summary>
internal static class GeoJson
{
    public static string LineString(Guid elderId, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<TrackPoint> track) =>
        JsonSerializer.Serialize(new
        {
            type = "Feature",
            geometry = new
            {
                type = "LineString",
                coordinates = track.Select(p => new[] { p.Lon, p.Lat }).ToArray(),
            },
            properties = new
            {
                elderId,
                from,
                to,
                times = track.Select(p => p.At).ToArray(),
                accuracy = track.Select(p => p.Accuracy).ToArray(),
            },
        });
}
