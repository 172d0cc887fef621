using System.Security.Claims;
using ElderIoT.Contracts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ElderIoT.Api.Access;

/// <summary>An access token and what it says.</summary>
/// <param name="AccessToken">The signed JWT.</param>
/// <param name="TokenType">Always <c>Bearer</c>.</param>
/// <param name="ExpiresAt">When it stops being accepted.</param>
/// <param name="UserName">Who.</param>
/// <param name="Role">Their role.</param>
/// <param name="SeatId">The seat they act as.</param>
/// <param name="ElderId">A family member's elder.</param>
public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string UserName, AccessRole Role, string? SeatId, Guid? ElderId);

/// <summary>
/// Signs ElderIoT's own access tokens (HS256 JWTs) with Microsoft.IdentityModel's handler, the
/// same library the bearer handler checks them with. Used by the sign-in endpoint, the
/// <c>token</c> command and the tests.
/// </summary>
public static class TokenIssuer
{
    /// <summary>A token for <paramref name="caller"/>, valid from now for <paramref name="lifetime"/>.</summary>
    public static TokenResponse Issue(SecurityKey key, string issuer, string audience, Caller caller, DateTimeOffset now, TimeSpan lifetime)
    {
        var claims = new List<Claim>
        {
            new(AccessClaims.UserName, caller.UserName),
            new(AccessClaims.Role, caller.Role.ToSnakeCase()),
        };
        if (caller.SeatId is { } seat)
        {
            claims.Add(new Claim(AccessClaims.SeatId, seat));
        }

        if (caller.ElderId is { } elder)
        {
            claims.Add(new Claim(AccessClaims.ElderId, elder.ToString()));
        }

        claims.AddRange(caller.Districts.Select(d => new Claim(AccessClaims.District, d)));
        var expires = now + lifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, "Bearer", expires, caller.UserName, caller.Role, caller.SeatId, caller.ElderId);
    }
}
