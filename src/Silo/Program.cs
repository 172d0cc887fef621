using ElderIoT.Silo;

// `token --user NAME --role ROLE …` prints a bearer token for development and tests (docs/security.md).
if (args is ["token", .. var tokenArgs])
{
    return TokenCommand.Run(tokenArgs);
}

// Settings ship beside the executable, whichever folder it is started from; data stays relative to that folder.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddElderIoTNode();

// Disposed on every way out: the console logger writes from a queue, and an early return without
// disposing lost the one line that says which port is taken.
await using var app = builder.Build();
if (!NodePorts.AreFree(app) || !NodeExposure.IsAllowed(app))
{
    return 1; // Said which port or listener and its setting; nothing has started.
}

app.MapElderIoTNode();
try
{
    app.Run();
}
catch (ElderIoT.Records.RecordsSchemaException)
{
    return 1; // The migrator logged which database and what to do; a stack trace would bury it.
}

return 0;

/// <summary>The entry point, visible to the end-to-end tests.</summary>
public partial class Program;
