using System.Text.Json;
using System.Text.Json.Serialization;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Alarms;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;

namespace ElderIoT.Records;

/// <summary>Records as the contracts that grains and the API hand out.</summary>
public static class RecordMappings
{
    public static AlarmSnapshot ToSnapshot(this AlarmRecord record) => new(
        record.Id,
        record.ElderId,
        record.District,
        EnumNames.ParseSnakeCase<AlarmKind>(record.Kind),
        EnumNames.ParseSnakeCase<AlarmStatus>(record.Status),
        record.Overdue,
        record.EscalationLevel,
        record.RaisedAt,
        record.DeviceId,
        record.Lat is { } lat && record.Lon is { } lon ? new GeoPosition(lat, lon, record.Accuracy) : null,
        record.AcceptedBy,
        record.AcceptedAt,
        record.ResolvedAt,
        record.Outcome is { } outcome ? EnumNames.ParseSnakeCase<AlarmOutcome>(outcome) : null,
        record.Notes,
        record.CancelRequested)
    {
        Anomalies = record.Anomalies.Count == 0 ? [] : [.. record.Anomalies.Select(ToAnomaly)],
        Severity = record.Severity,
        // A row from before incidents has no sources: its one kind and device.
        Kinds = record.Sources.Count == 0 ? [EnumNames.ParseSnakeCase<AlarmKind>(record.Kind)] : [.. record.Sources.Select(s => AlarmSources.Parse(s).Kind).Distinct()],
        Devices = record.Sources.Count == 0 ? [record.DeviceId] : [.. record.Sources.Select(s => AlarmSources.Parse(s).DeviceId).Distinct(StringComparer.Ordinal)],
        Findings = record.Findings.Count == 0 ? [] : [.. record.Findings.Select(ToFinding).OfType<AlarmFinding>()],
    };

    /// <summary>A rule's finding as the records keep it: one JSON document, enums as snake_case words, times as ISO 8601.</summary>
    public static string ToStored(this AlarmFinding finding) => JsonSerializer.Serialize(finding, StoredJson);

    /// <summary>The stored form back; null for a document this version cannot read (an alarm is shown without it rather than not at all).</summary>
    public static AlarmFinding? ToFinding(string stored)
    {
        try
        {
            return JsonSerializer.Deserialize<AlarmFinding>(stored, StoredJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>An anomaly as the records keep it: <c>kind_in_snake_case: detail</c>.</summary>
    public static string ToStored(this EventAnomaly anomaly) => $"{anomaly.Kind.ToSnakeCase()}: {anomaly.Detail}";

    /// <summary>The stored form back; a kind this version does not know is kept as the whole text of a malformed-payload note.</summary>
    public static EventAnomaly ToAnomaly(string stored)
    {
        var colon = stored.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && EnumNames.TryParseSnakeCase<EventAnomalyKind>(stored[..colon], out var kind)
            ? new EventAnomaly(kind, stored[(colon + 2)..])
            : new EventAnomaly(EventAnomalyKind.PayloadMalformed, stored);
    }

    public static AlarmTimelineEntry ToEntry(this AlarmTimelineRecord record) => new(record.At, record.Type, record.Actor, record.Detail);

    /// <summary>The elder as an alarm needs them: whom to text, where to route, what to write.</summary>
    public static AlarmElder ToAlarmElder(this ElderRecord record) => new(
        record.Id,
        record.Name,
        record.Address,
        record.District,
        record.Language,
        [.. record.Contacts.OrderBy(c => c.Position).Select(c => new Contact(c.Name, c.Relation, c.Phone, c.Language))]);

    public static ElderProfile ToProfile(this ElderRecord record) => new(
        record.Name,
        record.Phone,
        record.Address,
        record.District,
        record.HomeLat is { } lat && record.HomeLon is { } lon ? new GeoPosition(lat, lon) : null,
        record.BirthDate,
        record.Sex is { } sex ? EnumNames.ParseSnakeCase<Sex>(sex) : null,
        record.CareLevel is { } care ? EnumNames.ParseSnakeCase<CareLevel>(care) : null,
        record.Conditions,
        record.Medications,
        record.Language,
        [.. record.Contacts.OrderBy(c => c.Position).Select(c => new Contact(c.Name, c.Relation, c.Phone, c.Language))]);
}
