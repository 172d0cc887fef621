using ElderIoT.Silo;

// `token --user NAME --role ROLE …` prints a bearer token for development and tests (docs/security.md).
if (args is ["token", .. var tokenArgs])
{
    return TokenCommand.Run(tokenArgs);
}

// Settings ship beside the executable, whichever folder it is started from; data stays relative to that folder.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
try
{
    builder.AddElderIoTNode();
}
catch (NodeConfigurationException exception)
{
    // Nothing logs yet: one line on standard error, and systemd or the operator sees it.
    Console.Error.WriteLine($"crit: ElderIoT node cannot start: {exception.Message}.");
    return 1;
}

// Disposed on every way out: the console logger writes from a queue, and an early return without
// disposing lost the one line that says which port is taken.
await using var app = builder.Build();
if (!NodePorts.AreFree(app) || !NodeExposure.IsAllowed(app))
{
    return 1; // Said which port or listener and its setting; nothing has started.
}

app.MapElderIoTNode();
var configuration = app.Configuration; // Read now: a failed start disposes the services it comes from.
try
{
    app.Run();
}
catch (ElderIoT.Records.RecordsSchemaException)
{
    return 1; // The migrator logged which database and what to do; a stack trace would bury it.
}
catch (Exception exception) when (NodeClusteringExtensions.IsMembershipStoreUnreachable(exception))
{
    Console.Error.WriteLine(NodeClusteringExtensions.DescribeMembershipStoreUnreachable(configuration, exception));
    return 1;
}

return 0;

/// <summary>The entry point, visible to the end-to-end tests.</summary>
public partial class Program;
