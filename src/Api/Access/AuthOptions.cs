namespace ElderIoT.Api.Access;

/// <summary>
/// How the API checks who is calling (section <c>Auth</c>). Either a symmetric signing key (the
/// embedded default: <see cref="SigningKey"/>, or one generated into the data folder on first run)
/// or an OpenID Connect provider (<see cref="Authority"/> and <see cref="Audience"/>) that issues
/// the tokens in production.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The HS256 key, at least 32 characters. Several nodes must share it; unset, one is generated and kept in the data folder.</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect provider; when set, its tokens are accepted and this node issues none.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens are issued for and must name.</summary>
    public string Audience { get; set; } = "elderiot";

    /// <summary>The issuer of the tokens this node signs.</summary>
    public string Issuer { get; set; } = "elderiot";

    /// <summary>How long a token from <c>POST /api/auth/token</c> lives: a seat's shift.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The first admin's password; unset, one is generated and printed once on the first run.</summary>
    public string? InitialAdminPassword { get; set; }

    /// <summary>Failed sign-ins per user name within <see cref="FailedSignInWindow"/> before each further attempt waits.</summary>
    public int FailedSignInsPerUser { get; set; } = 5;

    public TimeSpan FailedSignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first wait; it doubles with each further failure up to <see cref="MaxFailedSignInDelay"/>.</summary>
    public TimeSpan FailedSignInDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxFailedSignInDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a node keeps what the users table says about a token's user (disabled, role, seat,
    /// districts) before it reads the row again: the longest a user disabled or changed on another node
    /// keeps access here. A change on this node takes effect at once. Zero reads the row on every request.
    /// </summary>
    public TimeSpan UserCheckLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest <see cref="UserCheckLifetime"/> allowed: a disabled user must lose access within a short time on every node.</summary>
    public static readonly TimeSpan MaxUserCheckLifetime = TimeSpan.FromMinutes(1);

    /// <summary>True when tokens come from an external provider.</summary>
    public bool UsesAuthority => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>An HS256 key must hold at least 256 bits.</summary>
    public const int MinSigningKeyLength = 32;
}
