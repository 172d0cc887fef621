using System.Security.Cryptography;
using ElderIoT.Contracts;
using ElderIoT.Records;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ElderIoT.Api.Access;

/// <summary>
/// The first run makes an <c>admin</c> user rather than leaving the API open: its password is
/// <c>Auth:InitialAdminPassword</c>, or else a random one written once to the console (not to the
/// log, which may be shipped elsewhere). Runs after the records migrator, so the table exists.
/// </summary>
internal sealed partial class InitialAdmin(UserStore users, IOptions<AuthOptions> options, ILogger<InitialAdmin> logger) : IHostedService
{
    public const string UserName = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyAdminAsync(cancellationToken))
        {
            return;
        }

        var configured = options.Value.InitialAdminPassword;
        var password = string.IsNullOrEmpty(configured) ? RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20) : configured;
        var admin = new UserRecord { UserName = UserName, PasswordHash = "", Role = AccessRole.Admin.ToSnakeCase() };
        if (!await users.CreateAsync(admin, password, cancellationToken))
        {
            return; // Another node made it first.
        }

        if (string.IsNullOrEmpty(configured))
        {
            // Once, on the console only: the operator signs in with it and sets their own users.
            Console.Out.WriteLine($"ElderIoT: first run, created user '{UserName}' with password {password} (shown only now; sign in with POST /api/auth/token)");
            Console.Out.Flush();
        }

        LogCreated(logger, UserName, string.IsNullOrEmpty(configured) ? "printed once on the console" : "from Auth:InitialAdminPassword");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(10001, LogLevel.Warning, "First run: created user {UserName}; its password is {Where}")]
    private static partial void LogCreated(ILogger logger, string userName, string where);
}
