using ElderIoT.Api.Infrastructure;
using ElderIoT.Api.Language;
using ElderIoT.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Api.Access;

/// <summary>/api/auth: signing in for a bearer token, and who the token says one is.</summary>
public static partial class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("api/auth").WithTags("Auth");
        group.MapPost("token", SignInAsync).WithName("SignIn").AllowAnonymous().WithRequestBodyLimit(4 * 1024)
            .WithSummary("Sign in with a user name and password; the answer holds a bearer token for every other call.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("me", Me).WithName("GetMe").WithSummary("Who the bearer token says the caller is.");
        return group;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem>> SignInAsync(
        SignInRequest request, UserStore users, SignInThrottle throttle, SigningKeys keys, IOptions<AuthOptions> options,
        TimeProvider clock, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var userName = errors.Required("userName", request.UserName, 64);
        var password = errors.Required("password", request.Password, 200);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var auth = options.Value;
        if (auth.UsesAuthority)
        {
            // Tokens come from the identity provider; this node holds no key to sign with.
            return TypedResults.Problem(title: ApiTexts.SignInFailed.Render(), detail: "Sign in with the identity provider (Auth:Authority).", statusCode: StatusCodes.Status401Unauthorized);
        }

        // Each guess past the allowance waits before it is even checked: slow for a guesser, a
        // second or two for a seat who mistyped.
        if (throttle.DelayFor(userName) is { } delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, clock, cancellationToken);
        }

        if (await users.CheckPasswordAsync(userName, password, cancellationToken) is not { } user)
        {
            throttle.Failed(userName);
            LogSignInFailed(logs.CreateLogger(typeof(AuthApi)));
            return TypedResults.Problem(title: ApiTexts.SignInFailed.Render(), statusCode: StatusCodes.Status401Unauthorized);
        }

        throttle.Succeeded(userName);
        return TypedResults.Ok(TokenIssuer.Issue(keys.Key, auth.Issuer, auth.Audience, UserStore.ToCaller(user), clock.GetUtcNow(), auth.TokenLifetime));
    }

    private static Results<Ok<MeResponse>, ProblemHttpResult> Me(HttpContext http) =>
        Caller.From(http.User) is { } caller
            ? TypedResults.Ok(new MeResponse(caller.UserName, caller.Role, caller.SeatId, caller.ElderId, caller.Districts, ExpiresAt(http)))
            : AccessFilter.Forbidden();

    private static DateTimeOffset? ExpiresAt(HttpContext http) =>
        long.TryParse(http.User.FindFirst("exp")?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    // No user name: a log line per failure would be a list of who works here, and of typos of passwords.
    [LoggerMessage(10002, LogLevel.Information, "A sign-in failed")]
    private static partial void LogSignInFailed(ILogger logger);
}

/// <summary>The body of POST /api/auth/token.</summary>
public sealed record SignInRequest(string? UserName, string? Password);

/// <summary>Who the caller is: the token's content without the token.</summary>
public sealed record MeResponse(string UserName, AccessRole Role, string? SeatId, Guid? ElderId, IReadOnlyList<string> Districts, DateTimeOffset? ExpiresAt);
