using ElderIoT.Api;
using ElderIoT.Gateway;
using ElderIoT.Gateway.Hosting;
using ElderIoT.Grains;
using ElderIoT.Grains.Alarms;
using ElderIoT.Records;
using ElderIoT.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ElderIoT.Silo;

/// <summary>
/// One ElderIoT node: silo, device gateway and REST API in one process. Every node is the same;
/// scaling out is starting more of them.
/// </summary>
public static partial class ElderIoTNode
{
    /// <summary>Default HTTP address when neither --urls nor ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrls = "http://localhost:5080";

    public static WebApplicationBuilder AddElderIoTNode(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        // Order matters: hosted services start in registration order, so the schema exists before
        // the silo runs grains, and grains answer before devices are let in or deadlines swept.
        builder.Services.AddElderIoTRecords();
        // Before the silo: started first, stopped last, so it flushes what the devices sent last.
        builder.Services.AddElderIoTTelemetry();
        builder.UseOrleans(silo =>
        {
            var orleans = builder.Configuration.GetSection(OrleansHostingOptions.SectionName).Get<OrleansHostingOptions>() ?? new();
            silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
        });
        builder.Services.AddElderIoTGrains();
        builder.Services.AddElderIoTGateway();
        builder.Services.AddElderIoTApi();
        builder.Services.AddHealthChecks().AddCheck<RecordsHealthCheck>("records", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapElderIoTNode(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapElderIoTApi();
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapGet("/api/system/stats", (GatewayMetrics gateway) =>
            {
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                return TypedResults.Ok(new NodeStats(gateway.ConnectedDevices, gateway.ReadingsProcessed, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false)));
            })
            .WithTags("System").WithName("NodeStats").WithSummary("This node's gateway counters, for dashboards and benchmarks.");

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ElderIoT");
            var http = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var connection = app.Configuration.GetConnectionString("ElderIoT");
            var records = string.IsNullOrWhiteSpace(connection)
                ? $"SQLite in {Path.GetFullPath(app.Services.GetRequiredService<IOptions<RecordsOptions>>().Value.DataDirectory)}"
                : "PostgreSQL";
            LogListening(logger, string.Join(", ", http), gateway.Enabled ? gateway.Port.ToString() : "off", records);
        });
        return app;
    }

    [LoggerMessage(1, LogLevel.Information, "ElderIoT node ready: HTTP {Http}, MQTT port {Mqtt}, records {Records}")]
    private static partial void LogListening(ILogger logger, string http, string mqtt, string records);
}

/// <summary>Gateway counters and memory of one node.</summary>
public sealed record NodeStats(long ConnectedDevices, long ReadingsProcessed, long WorkingSetBytes, long ManagedHeapBytes);
