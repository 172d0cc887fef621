using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Devices;
using ElderIoT.Contracts.Elders;

namespace ElderIoT.Api.Elders;

/// <summary>The body of POST and PUT /api/elders: an elder record. Name, address and district are required.</summary>
/// <remarks>Optional members have defaults: that is what keeps them out of the OpenAPI document's <c>required</c>.</remarks>
public sealed record ElderRequest(
    string? Name,
    string? Address,
    string? District,
    string? Phone = null,
    LocationRequest? Location = null,
    DateOnly? BirthDate = null,
    string? Sex = null,
    string? CareLevel = null,
    IReadOnlyList<string?>? Conditions = null,
    IReadOnlyList<string?>? Medications = null,
    string? Language = null,
    IReadOnlyList<ContactRequest?>? Contacts = null)
{
    private static readonly string[] Languages = ["zh-CN", "en"];

    /// <summary>Bounds of a record a seat reads in a glance; anything beyond them is a mistake or an attack.</summary>
    public const int MaxContacts = 10;
    public const int MaxListItems = 50;
    public const int MaxListItemLength = 200;

    /// <summary>Checks every field; returns the profile, or null with the errors filled in.</summary>
    public ElderProfile? Validate(RequestErrors errors)
    {
        var name = errors.Required("name", Name, 100);
        var address = errors.Required("address", Address, 300);
        var district = errors.Required("district", District, 200);
        if (district.Length > 0 && district.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length < 2)
        {
            errors.Add("district", ApiTexts.DistrictPath);
        }

        if (district.Length > 0 && District!.Split('/').Any(segment => segment.Length > 50))
        {
            errors.Add("district", ApiTexts.DistrictSegmentTooLong(50));
        }

        if (Phone is not null && !PhoneNumbers.IsE164(Phone))
        {
            errors.Add("phone", ApiTexts.PhoneE164);
        }

        if (Location is { } location)
        {
            if (location.Lat is not (>= -90 and <= 90))
            {
                errors.Add("location.lat", ApiTexts.Between(-90, 90));
            }

            if (location.Lon is not (>= -180 and <= 180))
            {
                errors.Add("location.lon", ApiTexts.Between(-180, 180));
            }
        }

        if (BirthDate is { } birth && (birth.Year < 1900 || birth > DateOnly.FromDateTime(DateTime.UtcNow)))
        {
            errors.Add("birthDate", ApiTexts.BirthDate);
        }

        Sex? sex = null;
        if (Sex is not null)
        {
            if (EnumNames.TryParseSnakeCase<Sex>(Sex, out var parsed))
            {
                sex = parsed;
            }
            else
            {
                errors.Add("sex", ApiTexts.OneOf("female", "male"));
            }
        }

        CareLevel? careLevel = null;
        if (CareLevel is not null)
        {
            if (EnumNames.TryParseSnakeCase<CareLevel>(CareLevel, out var parsed))
            {
                careLevel = parsed;
            }
            else
            {
                errors.Add("careLevel", ApiTexts.CareLevel);
            }
        }

        var language = Language ?? "zh-CN";
        if (!Languages.Contains(language))
        {
            errors.Add("language", ApiTexts.ZhCnOrEn);
        }

        var conditions = errors.TextList("conditions", Conditions, MaxListItems, MaxListItemLength);
        var medications = errors.TextList("medications", Medications, MaxListItems, MaxListItemLength);

        var contacts = new List<Contact>();
        var contactList = Contacts ?? [];
        if (contactList.Count > MaxContacts)
        {
            errors.Add("contacts", ApiTexts.AtMostContacts(MaxContacts));
            contactList = [];
        }

        for (var i = 0; i < contactList.Count; i++)
        {
            var prefix = $"contacts[{i}]";
            if (contactList[i] is not { } c)
            {
                errors.Add(prefix, ApiTexts.ContactNotNull);
                continue;
            }

            var contactName = errors.Required($"{prefix}.name", c.Name, 100);
            var relation = errors.Required($"{prefix}.relation", c.Relation, 50);
            var phone = errors.Required($"{prefix}.phone", c.Phone, 20);
            if (phone.Length > 0 && !PhoneNumbers.IsE164(phone))
            {
                errors.Add($"{prefix}.phone", ApiTexts.PhoneE164);
            }

            var contactLanguage = c.Language ?? language;
            if (!Languages.Contains(contactLanguage))
            {
                errors.Add($"{prefix}.language", ApiTexts.ZhCnOrEn);
            }

            contacts.Add(new Contact(contactName, relation, phone, contactLanguage));
        }

        if (contacts.Select(c => c.Phone).Distinct().Count() < contacts.Count)
        {
            errors.Add("contacts", ApiTexts.ContactPhonesDistinct);
        }

        return errors.Any ? null : new ElderProfile(
            name, Phone, address, district,
            Location is { } l ? new GeoPosition(l.Lat, l.Lon) : null,
            BirthDate, sex, careLevel,
            conditions,
            medications,
            language, contacts);
    }
}

/// <summary>A home position.</summary>
public sealed record LocationRequest(double Lat, double Lon);

/// <summary>A contact in an elder request.</summary>
public sealed record ContactRequest(string? Name, string? Relation, string? Phone, string? Language = null);

/// <summary>An elder record with its id.</summary>
public sealed record ElderResponse(
    Guid Id,
    string Name,
    string? Phone,
    string Address,
    string District,
    GeoPosition? Location,
    DateOnly? BirthDate,
    Sex? Sex,
    CareLevel? CareLevel,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Medications,
    string Language,
    IReadOnlyList<Contact> Contacts)
{
    public static ElderResponse From(Guid id, ElderProfile p) => new(
        id, p.Name, p.Phone, p.Address, p.District, p.Location, p.BirthDate, p.Sex, p.CareLevel,
        p.Conditions, p.Medications, p.Language, p.Contacts);
}

internal static class PhoneNumbers
{
    public static bool IsE164(string phone) =>
        phone.Length is >= 8 and <= 16 && phone[0] == '+' && phone.Skip(1).All(char.IsAsciiDigit);
}
