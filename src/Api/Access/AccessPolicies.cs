using Microsoft.AspNetCore.Authorization;

namespace ElderIoT.Api.Access;

/// <summary>The authorization policies; each names the roles that may reach an endpoint at all (which record is the endpoint's scope, <see cref="AccessScope"/>).</summary>
public static class AccessPolicies
{
    /// <summary>Users and the audit trail.</summary>
    public const string Admin = "admin";

    /// <summary>Elder records, reports, the roster, responders and visits: supervisors and admins.</summary>
    public const string Supervision = "supervision";

    /// <summary>Handling alarms: seats (scoped to what is offered to them), supervisors, admins.</summary>
    public const string AlarmWork = "alarm_work";

    /// <summary>Registering devices: installers and admins.</summary>
    public const string Installation = "installation";

    /// <summary>A device's status and commands: installers and everyone who handles alarms (the command type decides further).</summary>
    public const string DeviceWork = "device_work";

    /// <summary>The family view.</summary>
    public const string Family = "family";

    /// <summary>Anyone signed in (their own identity).</summary>
    public const string SignedIn = "signed_in";

    /// <summary>The roles of each policy: the one place the role side of the table lives.</summary>
    public static IReadOnlyDictionary<string, AccessRole[]> Roles { get; } = new Dictionary<string, AccessRole[]>
    {
        [Admin] = [AccessRole.Admin],
        [Supervision] = [AccessRole.Admin, AccessRole.Supervisor],
        [AlarmWork] = [AccessRole.Admin, AccessRole.Supervisor, AccessRole.Seat],
        [Installation] = [AccessRole.Admin, AccessRole.Installer],
        [DeviceWork] = [AccessRole.Admin, AccessRole.Supervisor, AccessRole.Seat, AccessRole.Installer],
        [Family] = [AccessRole.Family],
        [SignedIn] = Enum.GetValues<AccessRole>(),
    };

    internal static void Add(AuthorizationOptions options)
    {
        foreach (var (name, roles) in Roles)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser()
                .RequireClaim(AccessClaims.Role, roles.Select(r => Contracts.EnumNames.ToSnakeCase(r))));
        }

        // An endpoint that declares nothing still needs a signed-in caller; the endpoint table test
        // fails on it anyway, so that no endpoint is ever open by omission.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
