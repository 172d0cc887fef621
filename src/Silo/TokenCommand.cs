using ElderIoT.Api.Access;
using ElderIoT.Contracts;
using ElderIoT.Records;

namespace ElderIoT.Silo;

/// <summary>
/// <c>dotnet run --project src/Silo -- token --user NAME --role seat [--seat-id ID] [--districts A,B] [--elder-id GUID] [--hours N]</c>:
/// prints a bearer token signed with this node's key (the configured one or the one in its data
/// folder), for development, scripts and device-sim. Anyone who can read that key can do this; with
/// an OpenID Connect provider configured the node signs nothing, and neither does this command.
/// </summary>
internal static class TokenCommand
{
    public static int Run(string[] args)
    {
        // The same configuration as the node (appsettings, environment, --Auth:SigningKey …), so the
        // token is signed with the key the node checks.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var config = builder.Configuration;
        var auth = config.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var user = config["user"];
        if (string.IsNullOrWhiteSpace(user) || !EnumNames.TryParseSnakeCase<AccessRole>(config["role"], out var role))
        {
            Console.Error.WriteLine("usage: token --user NAME --role seat|supervisor|admin|installer|family [--seat-id ID] [--districts A,B] [--elder-id GUID] [--hours N]");
            return 2;
        }

        if (auth.UsesAuthority)
        {
            Console.Error.WriteLine("Auth:Authority is set: tokens come from the identity provider, not from this node.");
            return 1;
        }

        var seatId = config["seat-id"] ?? (role == AccessRole.Seat ? user : null);
        Guid? elderId = Guid.TryParse(config["elder-id"], out var elder) ? elder : null;
        var districts = (config["districts"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var hours = double.TryParse(config["hours"], System.Globalization.CultureInfo.InvariantCulture, out var h) ? h : auth.TokenLifetime.TotalHours;
        var dataDirectory = config[$"{RecordsOptions.SectionName}:{nameof(RecordsOptions.DataDirectory)}"] ?? new RecordsOptions().DataDirectory;
        var key = SigningKeys.Load(auth.SigningKey, dataDirectory);
        var token = TokenIssuer.Issue(key, auth.Issuer, auth.Audience, new Caller(user, role, seatId, elderId, districts), DateTimeOffset.UtcNow, TimeSpan.FromHours(hours));
        Console.Out.WriteLine(token.AccessToken);
        return 0;
    }
}
