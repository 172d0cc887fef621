using System.Net.Http.Headers;
using System.Text;
using ElderIoT.Api.Access;
using Microsoft.IdentityModel.Tokens;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// Bearer tokens for the tests, signed with the key every test node is given (<see cref="Settings"/>):
/// the one helper through which every test reaches the API as someone. A test of its own node
/// passes these settings (TestNode, NodeProcess and SiloProcess do), then calls as the role it needs.
/// </summary>
public static class TestTokens
{
    /// <summary>The HS256 key of every test node (at least 32 characters).</summary>
    public const string SigningKey = "elderiot-tests-only-signing-key-0123456789";

    /// <summary>The initial admin's password on test nodes.</summary>
    public const string AdminPassword = "test-admin-password-1";

    /// <summary>Configuration a test node needs so that these tokens are accepted.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Auth:SigningKey"] = SigningKey,
        ["Auth:InitialAdminPassword"] = AdminPassword,
    };

    /// <summary>The same settings as command-line arguments, for a node process.</summary>
    public static string[] Arguments => [.. Settings.SelectMany(s => new[] { "--" + s.Key, s.Value! })];

    /// <summary>An admin: the default caller of the suite.</summary>
    public static string Admin { get; } = For(AccessRole.Admin, "test-admin");

    /// <summary>A seat acting as <paramref name="seatId"/>, serving <paramref name="districts"/>.</summary>
    public static string Seat(string seatId, params string[] districts) => For(AccessRole.Seat, seatId, seatId: seatId, districts: districts);

    public static string For(AccessRole role, string userName, string? seatId = null, Guid? elderId = null, IReadOnlyList<string>? districts = null) =>
        TokenIssuer.Issue(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), "elderiot", "elderiot",
            new Caller(userName, role, seatId, elderId, districts ?? []), DateTimeOffset.UtcNow, TimeSpan.FromHours(2)).AccessToken;

    /// <summary>Makes every request of <paramref name="http"/> carry <paramref name="token"/>.</summary>
    public static HttpClient WithToken(this HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>A client of <paramref name="baseAddress"/> that calls as <paramref name="token"/>, reading the API's English texts.</summary>
    public static HttpClient Client(Uri baseAddress, string token)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) }.WithToken(token);
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return http;
    }
}
