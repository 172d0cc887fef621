using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Geofences;
using ElderIoT.Geofences;

namespace ElderIoT.Api.Geofences;

/// <summary>
/// A zone on the wire is a GeoJSON Feature: the geometry (Polygon, MultiPolygon, or a Point with
/// <c>properties.radius</c> in metres for a circle) and <c>properties</c> name, kind (safe|danger),
/// home, schedule {days, from, to}.
/// </summary>
public static class GeofenceFeatures
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Reads and checks a Feature; null with the problems (keyed by JSON path) when it is not a valid zone.</summary>
    public static GeofenceDefinition? Read(JsonElement feature, Guid id, RequestErrors errors)
    {
        if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
        {
            errors.Add("type", ApiTexts.GeoJsonFeature);
            return null;
        }

        var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        if (properties.ValueKind != JsonValueKind.Object)
        {
            errors.Add("properties", ApiTexts.GeofencePropertiesRequired);
            return null;
        }

        var name = errors.Required("properties.name", String(properties, "name"), 100);
        var kindText = String(properties, "kind");
        if (!EnumNames.TryParseSnakeCase<GeofenceKind>(kindText, out var kind))
        {
            errors.Add("properties.kind", kindText is null ? ApiTexts.GeofenceKindRequired : ApiTexts.NotAGeofenceKind(kindText));
        }

        var home = properties.TryGetProperty("home", out var h) && h.ValueKind == JsonValueKind.True;
        if (home && kind == GeofenceKind.Danger)
        {
            errors.Add("properties.home", ApiTexts.HomeIsSafe);
        }

        double? radius = null;
        if (properties.TryGetProperty("radius", out var r) && r.ValueKind != JsonValueKind.Null)
        {
            if (r.ValueKind == JsonValueKind.Number)
            {
                radius = r.GetDouble();
            }
            else
            {
                errors.Add("properties.radius", ApiTexts.MetresNumber);
            }
        }

        var schedule = properties.TryGetProperty("schedule", out var s) && s.ValueKind != JsonValueKind.Null ? Schedule(s, errors) : null;
        if (!feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind == JsonValueKind.Null)
        {
            errors.Add("geometry", ApiTexts.GeometryRequired);
            return null;
        }

        foreach (var problem in GeofenceGeometry.Validate(geometry, radius))
        {
            errors.Add(problem.Path, LocalizedText.Verbatim(problem.Message));
        }

        return errors.Any ? null : new GeofenceDefinition(id, name, kind, home, geometry.GetRawText(), radius, schedule);
    }

    /// <summary>Writes a zone as a Feature, its geometry through NetTopologySuite's GeoJSON writer.</summary>
    public static JsonObject Write(GeofenceDefinition fence)
    {
        var properties = new JsonObject
        {
            ["name"] = fence.Name,
            ["kind"] = fence.Kind.ToSnakeCase(),
            ["home"] = fence.IsHome,
        };
        if (fence.Radius is { } radius)
        {
            properties["radius"] = radius;
        }

        if (fence.Schedule is { } schedule)
        {
            properties["schedule"] = new JsonObject
            {
                ["days"] = new JsonArray([.. schedule.Days.Order().Select(d => JsonValue.Create(DayNames[(int)d]))]),
                ["from"] = Clock(schedule.FromMinute),
                ["to"] = Clock(schedule.ToMinute),
            };
        }

        return new JsonObject
        {
            ["type"] = "Feature",
            ["id"] = fence.Id.ToString(),
            ["geometry"] = JsonSerializer.SerializeToNode(GeofenceGeometry.Parse(fence.Geometry), GeofenceGeometry.Json),
            ["properties"] = properties,
        };
    }

    public static JsonObject WriteCollection(IEnumerable<GeofenceDefinition> fences) => new()
    {
        ["type"] = "FeatureCollection",
        ["features"] = new JsonArray([.. fences.Select(Write)]),
    };

    private static GeofenceSchedule? Schedule(JsonElement schedule, RequestErrors errors)
    {
        if (schedule.ValueKind != JsonValueKind.Object)
        {
            errors.Add("properties.schedule", ApiTexts.ScheduleForm);
            return null;
        }

        var days = new List<DayOfWeek>();
        if (schedule.TryGetProperty("days", out var d) && d.ValueKind == JsonValueKind.Array)
        {
            foreach (var day in d.EnumerateArray())
            {
                var index = day.ValueKind == JsonValueKind.String ? Array.IndexOf(DayNames, day.GetString()) : -1;
                if (index < 0)
                {
                    errors.Add("properties.schedule.days", ApiTexts.NotOneOf(day.GetRawText(), DayNames));
                }
                else
                {
                    days.Add((DayOfWeek)index);
                }
            }
        }
        else
        {
            days.AddRange(Enum.GetValues<DayOfWeek>()); // No days given: every day.
        }

        var from = Minute(schedule, "from", errors);
        var to = Minute(schedule, "to", errors);
        return from is { } f && to is { } t ? new GeofenceSchedule([.. days.Distinct()], f, t) : null;
    }

    private static int? Minute(JsonElement schedule, string field, RequestErrors errors)
    {
        var text = String(schedule, field);
        if (text is not null && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time.Hour * 60 + time.Minute;
        }

        errors.Add($"properties.schedule.{field}", text is null ? ApiTexts.ScheduleTimeRequired : ApiTexts.NotHoursMinutes(text));
        return null;
    }

    private static string Clock(int minute) => $"{minute / 60:00}:{minute % 60:00}";

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A position in a request body: WGS-84 degrees, accuracy in metres.</summary>
public sealed record PositionRequest(double? Lat, double? Lon, double? Acc)
{
    /// <summary>The position, or null with the problems added under <paramref name="field"/>.</summary>
    public GeoPosition? Validate(string field, RequestErrors errors)
    {
        if (Lat is not { } lat || Lon is not { } lon)
        {
            errors.Add(field, ApiTexts.LatLonRequired);
            return null;
        }

        if (lat is < -90 or > 90 || !double.IsFinite(lat))
        {
            errors.Add($"{field}.lat", ApiTexts.Between(-90, 90));
        }

        if (lon is < -180 or > 180 || !double.IsFinite(lon))
        {
            errors.Add($"{field}.lon", ApiTexts.Between(-180, 180));
        }

        if (Acc is { } acc && (acc < 0 || !double.IsFinite(acc)))
        {
            errors.Add($"{field}.acc", ApiTexts.NonNegativeMetres);
        }

        return errors.Any ? null : new GeoPosition(lat, lon, Acc);
    }
}
