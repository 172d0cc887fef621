using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ElderIoT.Records;

/// <summary>
/// Text as every provider can store it: PostgreSQL refuses U+0000 in <c>text</c> ("invalid byte
/// sequence for encoding UTF8: 0x00"), so an SOS whose id held one could never be stored and so
/// never acknowledged. It is stored as U+FFFD (the replacement character) on every provider, so a
/// record reads back the same whichever database holds it, and a query value is converted alike.
/// </summary>
public sealed class TextWithoutNulConverter() : ValueConverter<string, string>(
    value => value.Replace('\0', '\uFFFD'),
    value => value);

/// <summary>
/// Instants in UTC: Npgsql writes <c>timestamptz</c> only from a <see cref="DateTimeOffset"/> at offset
/// zero and throws on any other, so a time sent as <c>+08:00</c> (a device, a responder's app) could
/// not be stored. The instant is kept; the offset it was written in is not (timestamptz has none).
/// </summary>
public sealed class UtcInstantConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => value.ToUniversalTime(),
    value => value);
