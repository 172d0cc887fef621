using Microsoft.Extensions.Configuration;

namespace ElderIoT.Api.Infrastructure;

/// <summary>
/// The centre's time zone, in which charts are drawn (a day starts at local midnight). It is the
/// zone the centre writes its texts in, <c>Notifications:TimeZone</c> (validated at start by the
/// notifications' options); the API reads the same key rather than depend on the grains.
/// </summary>
public sealed class CentreTimeZone(IConfiguration configuration)
{
    public const string ConfigurationKey = "Notifications:TimeZone";
    public const string Default = "Asia/Shanghai";

    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(configuration[ConfigurationKey] ?? Default);
}
