using System.Globalization;
using System.Text.Json.Nodes;

namespace ElderIoT.DeviceSim;

/// <summary>
/// The zones the geofence scenarios play against: a home circle every chosen elder gets, and a river
/// bank (a danger zone) north of home for "river". "locate" asks where the chosen elders are while
/// every other device is silent, so both answers (fresh, stale) are seen.
/// </summary>
internal static class GeofenceScenarios
{
    /// <summary>Wide enough for the park and the market (within 600 m), so daily walks raise nothing.</summary>
    public const double HomeRadius = 700;

    /// <summary>The river bank: a strip 400–480 m north of home, 1 km long; the walker stops in its middle.</summary>
    public const double RiverNorth = 440;

    private const double MetresPerDegree = 111_320;

    public static async Task AddZonesAsync(ApiClient api, Guid elderId, ElderBehaviour elder, bool river, CancellationToken cancellationToken)
    {
        await api.CreateGeofenceAsync(elderId, Feature(new JsonObject { ["type"] = "Point", ["coordinates"] = Position(elder, 0, 0) }, "家", "safe", home: true, radius: HomeRadius), cancellationToken);
        if (river)
        {
            var ring = new JsonArray(Position(elder, -500, 400), Position(elder, 500, 400), Position(elder, 500, 480), Position(elder, -500, 480), Position(elder, -500, 400));
            await api.CreateGeofenceAsync(elderId, Feature(new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) }, "河边", "danger"), cancellationToken);
        }
    }

    public static async Task LocateAsync(ApiClient api, LiveProgress progress, IReadOnlyList<(SimulatedDevice Device, Guid ElderId)> wearables, CancellationToken cancellationToken)
    {
        // Every other device neither answers nor reports (switched off, no signal): its elder's
        // answer is the last known position, stale.
        for (var i = 0; i < wearables.Count; i++)
        {
            wearables[i].Device.IgnoresLocate = wearables[i].Device.Silent = i % 2 == 1;
        }

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var answers = await Task.WhenAll(wearables.Select(w => w.ElderId).Distinct().Select(id => api.LocateAsync(id, 5, cancellationToken)));
        progress.Say($"locate: {string.Join(", ", answers.GroupBy(a => a).Select(g => $"{g.Count()} {g.Key}"))}");
    }

    private static JsonObject Feature(JsonObject geometry, string name, string kind, bool home = false, double? radius = null)
    {
        var properties = new JsonObject { ["name"] = name, ["kind"] = kind, ["home"] = home };
        if (radius is { } r)
        {
            properties["radius"] = r;
        }

        return new JsonObject { ["type"] = "Feature", ["geometry"] = geometry, ["properties"] = properties };
    }

    private static JsonArray Position(ElderBehaviour elder, double east, double north) => new(
        Math.Round(elder.HomeLon + east / (MetresPerDegree * Math.Cos(elder.HomeLat * Math.PI / 180)), 7),
        Math.Round(elder.HomeLat + north / MetresPerDegree, 7));
}

/// <summary>Reads the centre's <c>config</c> command: tracking mode with an interval, or back to normal.</summary>
internal static class ConfigCommand
{
    /// <summary>The interval asked for, or null for the device's normal one (mode normal, or a command it cannot read).</summary>
    public static TimeSpan? ReportEvery(string payload)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(payload);
            var root = document.RootElement;
            return root.TryGetProperty("mode", out var mode) && mode.GetString() == "tracking"
                && root.TryGetProperty("reportEverySeconds", out var seconds) && seconds.TryGetInt32(out var s) && s >= 1
                ? TimeSpan.FromSeconds(s)
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
