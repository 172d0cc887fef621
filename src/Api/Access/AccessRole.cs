using System.Security.Claims;
using ElderIoT.Contracts;

namespace ElderIoT.Api.Access;

/// <summary>Who a signed-in person is to the centre; each role reaches only what its work needs (docs/security.md).</summary>
public enum AccessRole
{
    /// <summary>A call seat (坐席): its own duty, the alarms offered to it, its districts' elders while handling their alarm.</summary>
    Seat,

    /// <summary>A supervisor: all districts, reports, overdue alarms, the seat roster.</summary>
    Supervisor,

    /// <summary>An administrator: everything, including users and the audit trail.</summary>
    Admin,

    /// <summary>An installer: registers, binds and configures devices; no health data.</summary>
    Installer,

    /// <summary>A family member: read-only, their own elder's open alarm and, with consent, last position.</summary>
    Family,
}

/// <summary>The claims of an ElderIoT access token, named once for the issuer, the validator and the handlers.</summary>
public static class AccessClaims
{
    /// <summary>The user name (JWT <c>sub</c>).</summary>
    public const string UserName = "sub";

    /// <summary>The role as a snake_case word.</summary>
    public const string Role = "role";

    /// <summary>The seat the person acts as.</summary>
    public const string SeatId = "seat_id";

    /// <summary>A family member's elder.</summary>
    public const string ElderId = "elder_id";

    /// <summary>A district prefix (one claim each).</summary>
    public const string District = "district";
}

/// <summary>The signed-in person of a request, read from the validated token.</summary>
/// <param name="UserName">Who.</param>
/// <param name="Role">Their role.</param>
/// <param name="SeatId">The seat they act as, if any: the only seat identity the API believes.</param>
/// <param name="ElderId">A family member's elder.</param>
/// <param name="Districts">District prefixes a seat serves.</param>
public sealed record Caller(string UserName, AccessRole Role, string? SeatId, Guid? ElderId, IReadOnlyList<string> Districts)
{
    /// <summary>Admins and supervisors see every district; everyone else sees only what their work needs.</summary>
    public bool SeesAllDistricts => Role is AccessRole.Admin or AccessRole.Supervisor;

    /// <summary>The caller of an authenticated request; null when the principal carries no ElderIoT role.</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || !EnumNames.TryParseSnakeCase<AccessRole>(user.FindFirst(AccessClaims.Role)?.Value, out var role))
        {
            return null;
        }

        var elder = Guid.TryParse(user.FindFirst(AccessClaims.ElderId)?.Value, out var id) ? id : (Guid?)null;
        return new Caller(
            user.FindFirst(AccessClaims.UserName)?.Value ?? "",
            role,
            user.FindFirst(AccessClaims.SeatId)?.Value is { Length: > 0 } seat ? seat : null,
            elder,
            [.. user.FindAll(AccessClaims.District).Select(c => c.Value)]);
    }
}
