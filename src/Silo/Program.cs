using ElderIoT.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.AddElderIoTNode();

var app = builder.Build();
app.MapElderIoTNode();
app.Run();

/// <summary>The entry point, visible to the end-to-end tests.</summary>
public partial class Program;
