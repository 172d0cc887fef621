using ElderIoT.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ElderIoT.Api.Access;

/// <summary>Composes authentication (JWT bearer), the role policies, users, audit and consent.</summary>
public static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddElderIoTAccess(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.UsesAuthority || string.IsNullOrEmpty(o.SigningKey) || o.SigningKey.Length >= AuthOptions.MinSigningKeyLength,
                $"Auth:SigningKey must be at least {AuthOptions.MinSigningKeyLength} characters (HS256 needs 256 bits).")
            .Validate(o => string.IsNullOrEmpty(o.InitialAdminPassword) || o.InitialAdminPassword.Length >= 12,
                "Auth:InitialAdminPassword must be at least 12 characters.")
            .Validate(o => o.TokenLifetime > TimeSpan.Zero, "Auth:TokenLifetime must be positive.")
            .Validate(o => o.UserCheckLifetime >= TimeSpan.Zero && o.UserCheckLifetime <= AuthOptions.MaxUserCheckLifetime,
                $"Auth:UserCheckLifetime must be 00:00:00..{AuthOptions.MaxUserCheckLifetime}.")
            .ValidateOnStart();
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<UserAccessCache>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<AccessGuard>();
        services.AddSingleton<AccessMetrics>();
        services.AddHostedService<InitialAdmin>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, SigningKeys, UserAccessCache, AccessMetrics>((jwt, auth, keys, users, metrics) => Configure(jwt, auth.Value, keys, users, metrics));
        services.AddAuthorization(AccessPolicies.Add);
        return services;
    }

    /// <summary>Signing in and who one is, users, the audit trail, consent and the family view.</summary>
    public static IEndpointRouteBuilder MapElderIoTAccess(this IEndpointRouteBuilder api)
    {
        api.MapAuthApi();
        api.MapUsersApi();
        api.MapAuditApi();
        api.MapConsentApi();
        api.MapFamilyApi();
        return api;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, SigningKeys keys, UserAccessCache users, AccessMetrics metrics)
    {
        // Claims keep the names they have in the token (sub, role, seat_id), not WS-Federation URIs.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.NameClaimType = AccessClaims.UserName;
        jwt.TokenValidationParameters.RoleClaimType = AccessClaims.Role;
        jwt.TokenValidationParameters.ValidAudience = auth.Audience;
        jwt.Audience = auth.Audience;
        if (auth.UsesAuthority)
        {
            jwt.Authority = auth.Authority;
        }
        else
        {
            jwt.TokenValidationParameters.ValidIssuer = auth.Issuer;
            jwt.TokenValidationParameters.IssuerSigningKey = keys.Key;
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
        jwt.Events = new JwtBearerEvents
        {
            // A browser's EventSource cannot set headers: the seat stream alone also takes the token
            // as ?access_token= (the pattern SignalR uses). Nothing logs query strings at Information.
            OnMessageReceived = context =>
            {
                if (string.IsNullOrEmpty(context.Request.Headers.Authorization)
                    && context.Request.Path.Value?.EndsWith("/stream", StringComparison.Ordinal) == true
                    && context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            },
            // A user disabled or changed by an admin loses access at once on this node and within
            // Auth:UserCheckLifetime on the others, not when the token expires. Every request asks, so
            // the answer comes from the node's short cache rather than a read of the row each time.
            OnTokenValidated = async context =>
            {
                if (context.Principal?.FindFirst(AccessClaims.UserName)?.Value is not { } name)
                {
                    return;
                }

                try
                {
                    if (await users.GetAsync(name, context.HttpContext.RequestAborted) is { } user
                        && user.Refusal(Caller.From(context.Principal)) is { } refusal)
                    {
                        context.Fail(refusal);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The records cannot be read (a read-only disk): the signed token stands, so seats
                    // keep working through the fault; the gap is counted.
                    metrics.Degraded(AccessMetrics.UserCheckFailed, "token", exception);
                }
            },
        };
    }
}
