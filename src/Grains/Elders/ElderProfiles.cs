using ElderIoT.Contracts;
using ElderIoT.Contracts.Elders;
using ElderIoT.Records;

namespace ElderIoT.Grains.Elders;

/// <summary>Writes an elder profile into its record.</summary>
public static class ElderProfiles
{
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
