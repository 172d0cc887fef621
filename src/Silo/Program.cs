using ElderIoT.Silo;

// Settings ship beside the executable, whichever folder it is started from; data stays relative to that folder.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddElderIoTNode();

var app = builder.Build();
app.MapElderIoTNode();
app.Run();

/// <summary>The entry point, visible to the end-to-end tests.</summary>
public partial class Program;
