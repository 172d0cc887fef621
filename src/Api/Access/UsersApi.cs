using System.Text.RegularExpressions;
using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Api.Seats;
using ElderIoT.Contracts;
using ElderIoT.Contracts.Elders;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ElderIoT.Api.Access;

/// <summary>/api/users: the people who sign in, managed by admins. A password is set, never shown.</summary>
public static partial class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/users").WithTags("Users");
        group.MapPost("", CreateAsync).WithName("CreateUser").WithSummary("Add a user with a role (and a seat id, districts or an elder as the role needs).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("", ListAsync).WithName("ListUsers").WithSummary("Every user, without passwords.");
        group.MapPut("{name}", UpdateAsync).WithName("UpdateUser").WithSummary("Change a user's role, districts, seat id, elder, password, or disable them.");
        return group;
    }

    private static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(UserRequest request, UserStore users, UserAccessCache access, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (!UserNamePattern().IsMatch(request.UserName ?? ""))
        {
            errors.Add("userName", ApiTexts.UserName);
        }

        if (request.Password is not { Length: >= 12 and <= 200 })
        {
            errors.Add("password", ApiTexts.Password);
        }

        var user = new UserRecord { UserName = request.UserName ?? "", PasswordHash = "", Role = "" };
        if (!Apply(request, user, errors) || errors.Any)
        {
            return errors.ToProblem();
        }

        var created = await users.CreateAsync(user, request.Password!, cancellationToken);
        access.Forget(user.UserName); // A token naming them before they existed is judged by the new row now.
        return created
            ? TypedResults.Created($"/api/users/{user.UserName}", UserResponse.From(user))
            : TypedResults.Problem(title: ApiTexts.UserExists.Render(), statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<Ok<List<UserResponse>>> ListAsync(UserStore users, CancellationToken cancellationToken) =>
        TypedResults.Ok((await users.ListAsync(cancellationToken)).Select(UserResponse.From).ToList());

    private static async Task<Results<Ok<UserResponse>, NotFound, ValidationProblem>> UpdateAsync(string name, UserRequest request, UserStore users, UserAccessCache access, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (request.Password is not null and not { Length: >= 12 and <= 200 })
        {
            errors.Add("password", ApiTexts.Password);
        }

        // Checked on a copy first, so a refused change leaves the record as it was.
        if (await users.FindAsync(name, cancellationToken) is not { } current)
        {
            return TypedResults.NotFound();
        }

        if (!Apply(request, current, errors) || errors.Any)
        {
            return errors.ToProblem();
        }

        var updated = await users.UpdateAsync(name, user => Apply(request, user, new RequestErrors()), request.Password, cancellationToken);
        // Disabled or changed: this node refuses their old tokens from the next request on.
        access.Forget(name);
        return updated is null ? TypedResults.NotFound() : TypedResults.Ok(UserResponse.From(updated));
    }

    /// <summary>Copies the request onto the user, checking that the role has what it needs; false with errors when not.</summary>
    private static bool Apply(UserRequest request, UserRecord user, RequestErrors errors)
    {
        if (!EnumNames.TryParseSnakeCase<AccessRole>(request.Role, out var role))
        {
            errors.Add("role", ApiTexts.Roles);
            return false;
        }

        user.Role = role.ToSnakeCase();
        user.Disabled = request.Disabled ?? false;
        user.SeatId = request.SeatId;
        if (request.SeatId is not null)
        {
            SeatsApi.ValidateSeatId(request.SeatId, errors);
        }
        else if (role == AccessRole.Seat)
        {
            errors.Add("seatId", ApiTexts.SeatNeedsSeatId);
        }

        user.ElderId = request.ElderId;
        if (role == AccessRole.Family && request.ElderId is null)
        {
            errors.Add("elderId", ApiTexts.FamilyNeedsElder);
        }

        var districts = new List<string>();
        var given = request.Districts ?? [];
        if (given.Count > SeatsApi.MaxDistricts)
        {
            errors.Add("districts", ApiTexts.AtMostEntries(SeatsApi.MaxDistricts));
        }
        else
        {
            for (var i = 0; i < given.Count; i++)
            {
                var district = DistrictPath.Normalize(given[i] ?? "");
                if (district.Length == 0 || district.Length > SeatsApi.MaxDistrictLength)
                {
                    errors.Add($"districts[{i}]", ApiTexts.DistrictPrefix(SeatsApi.MaxDistrictLength));
                }
                else if (!districts.Contains(district))
                {
                    districts.Add(district);
                }
            }
        }

        user.Districts = districts;
        return !errors.Any;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex UserNamePattern();
}

/// <summary>The body of POST /api/users and PUT /api/users/{name}; the user name of a PUT is the path's, and a password there is optional.</summary>
public sealed record UserRequest(
    string? UserName = null,
    string? Password = null,
    string? Role = null,
    IReadOnlyList<string?>? Districts = null,
    string? SeatId = null,
    Guid? ElderId = null,
    bool? Disabled = null);

/// <summary>A user as admins see them: never a password or its hash.</summary>
public sealed record UserResponse(string UserName, AccessRole Role, IReadOnlyList<string> Districts, string? SeatId, Guid? ElderId, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UserResponse From(UserRecord user) => new(
        user.UserName, EnumNames.ParseSnakeCase<AccessRole>(user.Role), user.Districts, user.SeatId, user.ElderId, user.Disabled, user.CreatedAt, user.UpdatedAt);
}
