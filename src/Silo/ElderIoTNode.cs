using ElderIoT.Api;
using ElderIoT.Api.Language;
using ElderIoT.Gateway;
using ElderIoT.Gateway.Hosting;
using ElderIoT.Grains;
using ElderIoT.Grains.Alarms;
using ElderIoT.Records;
using ElderIoT.Silo.Observability;
using ElderIoT.SeatConsole;
using ElderIoT.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using ElderIoT.Grains.Notifications.Twilio;

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

        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietLogDefaults });

        // Order matters: hosted services start in registration order, so the schema exists before
        // the silo runs grains, and grains answer before devices are let in or deadlines swept.
        builder.Services.AddElderIoTRecords();
        // Before the silo: started first, stopped last, so it flushes what the devices sent last.
        builder.Services.AddElderIoTTelemetry();
        builder.UseOrleans(silo => silo.UseNodeClustering(builder.Configuration));
        builder.Services.AddElderIoTGrains();
        builder.Services.AddElderIoTGateway();
        builder.Services.AddElderIoTApi();
        builder.Services.AddSeatConsole();
        var health = builder.Services.AddHealthChecks().AddCheck<RecordsHealthCheck>("records", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisHealthCheck.ConnectionStringName)))
        {
            builder.Services.AddSingleton<RedisHealthCheck>();
            health.AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        }

        builder.Services.AddElderIoTObservability(builder.Configuration);
        return builder;
    }

    public static WebApplication MapElderIoTNode(this WebApplication app)
    {
        // First: errors written by the handlers below are in the request's language.
        app.UseApiLanguages();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapElderIoTApi();
        app.MapSeatConsole();
        // Probes carry no token (a load balancer, systemd): they learn which check fails, never a record.
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthReportWriter.WriteAsync }).AllowAnonymous();
        app.MapElderIoTMetrics();
        app.MapGet("/api/system/stats", (GatewayMetrics gateway) =>
            {
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                return TypedResults.Ok(new NodeStats(gateway.ConnectedDevices, gateway.ReadingsProcessed, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false)));
            })
            .WithTags("System").WithName("NodeStats").WithSummary("This node's gateway counters, for dashboards and benchmarks.")
            .RequireAuthorization(ElderIoT.Api.Access.AccessPolicies.Supervision);

        app.Lifetime.ApplicationStarted.Register(() => LogStartSummary(app));
        app.Lifetime.ApplicationStopping.Register(() => LogStopping(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ElderIoT")));
        return app;
    }

    /// <summary>
    /// Category defaults below everything an operator configures (appsettings, environment, command line
    /// all override them). At Information the log says what the node does; this is what it would
    /// otherwise drown in: Orleans logs every grain placement through Polly ("Execution attempt") at
    /// Information, and its watchdog warns of a "participant check … deadlock" at start, measured from
    /// before the silo ran (a false alarm; real stalls show as errors).
    /// </summary>
    private static readonly Dictionary<string, string?> QuietLogDefaults = new()
    {
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Orleans.Runtime.Watchdog"] = "Error",
        ["Logging:LogLevel:Orleans.Runtime.Silo"] = "Error",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        ["Logging:LogLevel:MQTTnet"] = "Warning",
    };

    /// <summary>What an operator needs to know once the node is up: where it listens, where it keeps things, what it can send.</summary>
    private static void LogStartSummary(WebApplication app)
    {
        var services = app.Services;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ElderIoT");
        var http = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var gateway = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var orleans = OrleansHostingOptions.From(app.Configuration);
        var tls = services.GetRequiredService<IOptions<GatewayTlsOptions>>().Value;
        var mqttAddress = string.IsNullOrWhiteSpace(gateway.BindAddress) ? "*" : gateway.BindAddress;
        var mqtt = string.Join(", ", new[] { gateway.PlainListener ? $"{mqttAddress}:{gateway.Port}" : null, tls.Enabled ? $"TLS {mqttAddress}:{tls.Port}" : null }.OfType<string>());
        LogListening(logger, string.Join(", ", http),
            gateway.Enabled && mqtt.Length > 0 ? mqtt : "off",
            orleans.SiloPort, orleans.GatewayPort, orleans.ClusterId);

        var connection = app.Configuration.GetConnectionString("ElderIoT");
        var records = string.IsNullOrWhiteSpace(connection)
            ? $"SQLite in {Path.GetFullPath(services.GetRequiredService<IOptions<RecordsOptions>>().Value.DataDirectory)}"
            : "PostgreSQL (ConnectionStrings:ElderIoT)";
        var telemetry = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        LogStores(logger, records, telemetry.Store == "influxdb" ? $"InfluxDB at {telemetry.InfluxDb.Url}" : "embedded (telemetry.db beside the records)");

        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        if (twilio.IsConfigured)
        {
            LogSmsConfigured(logger, twilio.BaseUrl.ToString(), twilio.PublicBaseUrl?.ToString() ?? "none: no delivery reports, keypresses or replies");
        }
        else
        {
            LogSmsNotConfigured(logger);
        }

        LogReady(logger);
    }

    [LoggerMessage(1, LogLevel.Information, "ElderIoT node listening: HTTP {Http}, device MQTT {Mqtt}, Orleans silo port {SiloPort}, Orleans gateway port {GatewayPort} (cluster {ClusterId})")]
    private static partial void LogListening(ILogger logger, string http, string mqtt, int siloPort, int gatewayPort, string clusterId);

    [LoggerMessage(3, LogLevel.Information, "Stores: records {Records}; telemetry {Telemetry}")]
    private static partial void LogStores(ILogger logger, string records, string telemetry);

    [LoggerMessage(4, LogLevel.Information, "Family texts and calls: Twilio configured ({BaseUrl}); webhooks at {PublicBaseUrl}")]
    private static partial void LogSmsConfigured(ILogger logger, string baseUrl, string publicBaseUrl);

    [LoggerMessage(5, LogLevel.Warning, "Family texts and calls: not configured (Twilio:AccountSid, Twilio:AuthToken, Twilio:FromNumber); contacts are not texted or called, each notification is recorded as not sent")]
    private static partial void LogSmsNotConfigured(ILogger logger);

    [LoggerMessage(6, LogLevel.Information, "ElderIoT node ready")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(7, LogLevel.Information, "ElderIoT node stopping: devices and seat screens are let go first, then what is in flight finishes")]
    private static partial void LogStopping(ILogger logger);
}

/// <summary>Gateway counters and memory of one node.</summary>
public sealed record NodeStats(long ConnectedDevices, long ReadingsProcessed, long WorkingSetBytes, long ManagedHeapBytes);
