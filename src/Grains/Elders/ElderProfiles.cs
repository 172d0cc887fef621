using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;
using ElderIoT.Records;

namespace ElderIoT.Grains.Elders;

/// <summary>Maps the elder profile to and from its record.</summary>
public static class ElderProfiles
{
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

    public static void Apply(this ElderRecord record, ElderProfile profile)
    {
        record.Name = profile.Name;
        record.Phone = profile.Phone;
        record.Address = profile.Address;
        record.District = DistrictPath.Normalize(profile.District);
        record.HomeLat = profile.Location?.Lat;
        record.HomeLon = profile.Location?.Lon;
        record.BirthDate = profile.BirthDate;
        record.Sex = profile.Sex?.ToSnakeCase();
        record.CareLevel = profile.CareLevel?.ToSnakeCase();
        record.Conditions = [.. profile.Conditions];
        record.Medications = [.. profile.Medications];
        record.Language = profile.Language;
        record.Contacts = [.. profile.Contacts.Select((c, i) => new ContactRecord
        {
            ElderId = record.Id,
            Position = i,
            Name = c.Name,
            Relation = c.Relation,
            Phone = c.Phone,
            Language = c.Language,
        })];
    }
}
