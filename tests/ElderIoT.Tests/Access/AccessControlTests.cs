using System.Net;
using System.Text;
using ElderIoT.Api.Access;
using ElderIoT.Contracts.Notifications;
using ElderIoT.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ElderIoT.Tests.Access;

/// <summary>
/// Every endpoint × every role, from the app's own endpoint list: an endpoint added later without
/// a declared policy fails here, and so does one that lets a role in that the table keeps out.
/// </summary>
public sealed class AccessControlTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public void EveryEndpointDeclaresWhoMayReachIt()
    {
        var undeclared = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles)))
            .Select(Describe)
            .ToList();

        Assert.True(undeclared.Count == 0,
            "Endpoints without a policy (add them to AccessTable, or give them RequireAuthorization/AllowAnonymous):\n" + string.Join("\n", undeclared));
    }

    [Fact]
    public void OnlySigningInTheProbesTheDocumentAndTwiliosSignedCallbackAreOpen()
    {
        var open = Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => e.RoutePattern.RawText!).ToHashSet();

        // Twilio's webhooks carry no token: each is verified by Twilio's signature before it is used (TwilioWebhookTests).
        string[] twilio = [.. new[] { TwilioWebhooks.SmsStatus, TwilioWebhooks.CallStatus, TwilioWebhooks.Gather, TwilioWebhooks.Inbound, TwilioWebhooks.CareCallStatus }.Select(p => "/" + p)];
        foreach (var path in new[] { "/api/auth/token", "/health/live", "/health/ready" }.Concat(twilio))
        {
            Assert.True(open.Contains(path), $"{path} is not open; open: {string.Join(", ", open)}");
        }

        Assert.All(open, path => Assert.True(
            path is "/api/auth/token" or "/health/live" or "/health/ready" or "/openapi/{documentName}.json" or "/metrics"
            || twilio.Contains(path)
            || path.StartsWith("/api/reference", StringComparison.Ordinal)
            // The console's page, scripts and map settings: public like any web page; all it shows comes from the API.
            || path is "/" or "/console/config.json" or "/console/{**path}", $"{path} is open to anyone"));
    }

    [Fact]
    public async Task EveryEndpointRefusesACallerWithoutAValidToken()
    {
        var forged = TokenIssuer.Issue(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('k', 40))), "elderiot", "elderiot",
            new Caller("mallory", AccessRole.Admin, "seat-m", null, []), DateTimeOffset.UtcNow, TimeSpan.FromHours(1)).AccessToken;
        var expired = TokenIssuer.Issue(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestTokens.SigningKey)), "elderiot", "elderiot",
            new Caller("old-admin", AccessRole.Admin, null, null, []), DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1)).AccessToken;
        var failures = new List<string>();
        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            foreach (var (who, token) in new[] { ("nobody", ""), ("a forged token", forged), ("an expired token", expired) })
            {
                var status = await CallAsync(endpoint, token);
                if (status != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{Describe(endpoint)} as {who}: {(int)status}");
                }
            }
        }

        Assert.True(failures.Count == 0, "Reached without a valid token:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData(AccessRole.Admin)]
    [InlineData(AccessRole.Supervisor)]
    [InlineData(AccessRole.Seat)]
    [InlineData(AccessRole.Installer)]
    [InlineData(AccessRole.Family)]
    public async Task EachRoleReachesExactlyWhatTheTableGivesIt(AccessRole role)
    {
        // A seat of another district with no alarm of this elder: every scoped record is out of its reach.
        // Each role acts as a seat of its own: an admin accepting the alarm must not make the seat its holder.
        var seatId = $"seat-{role}".ToLowerInvariant();
        var token = TestTokens.For(role, $"u-{role}".ToLowerInvariant(), seatId: role == AccessRole.Family ? null : seatId,
            elderId: role == AccessRole.Family ? Guid.NewGuid() : null, districts: ["上海市/徐汇区"]);
        var failures = new List<string>();
        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var allowed = Allowed(endpoint, role);
            var status = await CallAsync(endpoint, token, seatId);
            var reached = status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
            // Reached, it must also work: a 500 would hide behind "not refused".
            if (reached != allowed || (int)status >= 500)
            {
                failures.Add($"{Describe(endpoint)}: expected {(allowed ? "reached" : "403")}, got {(int)status}");
            }
        }

        Assert.True(failures.Count == 0, $"As {role}:\n" + string.Join("\n", failures));
    }

    /// <summary>What the table says a role reaches, on records it has no alarm for.</summary>
    private static bool Allowed(RouteEndpoint endpoint, AccessRole role)
    {
        var policy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null)
            ?? throw new Xunit.Sdk.XunitException($"{Describe(endpoint)} declares no policy");
        if (!AccessPolicies.Roles[policy].Contains(role))
        {
            return false;
        }

        return endpoint.Metadata.GetMetadata<EndpointAccess>()?.Scope switch
        {
            null or AccessScope.None => true,
            AccessScope.Seat => true, // called with the seat's own id below
            AccessScope.Device => role is AccessRole.Admin or AccessRole.Supervisor or AccessRole.Installer,
            _ => role is AccessRole.Admin or AccessRole.Supervisor,
        };
    }

    private async Task<HttpStatusCode> CallAsync(RouteEndpoint endpoint, string token, string seatId = "seat-x")
    {
        var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
        var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => Value(endpoint, parameter, seatId),
            _ => "",
        }))));
        // The queries these endpoints need to get as far as the record.
        path += endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName switch
        {
            "LocateElder" => "?wait=0",
            "ListNotifications" => $"?alarmId={fixture.AlarmId}",
            _ => "",
        };

        using var http = new HttpClient { BaseAddress = Node.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (token.Length > 0)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        // Headers only: the seat stream would otherwise never end.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    private string Value(RouteEndpoint endpoint, Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart part, string seatId) => part.Name switch
    {
        "seatId" => seatId,
        "name" => "nobody",
        "documentName" => "v1",
        "fenceId" => Guid.NewGuid().ToString(),
        "id" when endpoint.RoutePattern.RawText!.StartsWith("/api/alarms", StringComparison.Ordinal) => fixture.AlarmId.ToString(),
        "id" when endpoint.RoutePattern.RawText!.StartsWith("/api/devices", StringComparison.Ordinal) => fixture.Device.Id,
        "id" when endpoint.RoutePattern.RawText!.StartsWith("/api/elders", StringComparison.Ordinal) => fixture.Elder.Id.ToString(),
        "id" when endpoint.RoutePattern.RawText!.StartsWith("/api/visits", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
        // Any other {id:guid} (call-backs, broadcasts): a record nobody has, so the route matches and access decides.
        _ when part.ParameterPolicies.Any(p => p.Content == "guid") => Guid.NewGuid().ToString(),
        _ => "x-1",
    };

    private List<RouteEndpoint> Endpoints() =>
        [.. Node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    private static string Describe(RouteEndpoint endpoint) =>
        $"{string.Join(",", endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {endpoint.RoutePattern.RawText}";
}
