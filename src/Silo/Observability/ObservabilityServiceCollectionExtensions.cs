using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ElderIoT.Silo.Observability;

/// <summary>
/// Exports every ElderIoT meter (System.Diagnostics.Metrics, <c>ElderIoT.*</c>) and ASP.NET Core's own
/// through OpenTelemetry: a Prometheus scrape endpoint on the REST port, and OTLP when configured.
/// The instruments stay where they are measured; this only decides where their numbers go.
/// </summary>
public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>Every ElderIoT meter, present and future: each project names its own <c>ElderIoT.Xyz</c>.</summary>
    public const string ElderIoTMeters = "ElderIoT.*";

    /// <summary>
    /// Bucket bounds (ms) of ElderIoT's millisecond histograms: fine below the 50 ms SOS → seat target,
    /// coarse above it. OpenTelemetry's defaults (0, 5, 10, 25, 50, 75, 100, 250 …) put the whole of
    /// a healthy node in three buckets.
    /// </summary>
    private static readonly double[] MillisecondBounds = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 250, 500, 1000, 2500, 5000, 10000, 30000];

    public static IServiceCollection AddElderIoTObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.SectionName)
            .Validate(o => o.MetricsPath.StartsWith('/'), "Observability:MetricsPath must start with '/'.")
            .Validate(o => o.OtlpEndpoint is null || o.OtlpEndpoint.IsAbsoluteUri, "Observability:OtlpEndpoint must be an absolute URL.")
            .ValidateOnStart();
        // Read here too: whether an exporter exists at all is decided while services are registered.
        var options = configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions();

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("elderiot", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ElderIoTMeters)
                    .AddAspNetCoreInstrumentation()
                    .AddView(instrument => instrument.Meter.Name.StartsWith("ElderIoT.", StringComparison.Ordinal) && instrument.Unit == "ms"
                        ? new ExplicitBucketHistogramConfiguration { Boundaries = MillisecondBounds }
                        : null)
                    .AddPrometheusExporter();
                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(otlp =>
                    {
                        otlp.Endpoint = endpoint;
                        otlp.Protocol = options.OtlpProtocol == OtlpTransport.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    });
                }
            });
        return services;
    }

    /// <summary>
    /// The Prometheus scrape endpoint (<c>GET /metrics</c> by default). A scraper carries no token, like
    /// a health probe; the series hold counts and timings, never a name, number or position.
    /// </summary>
    public static WebApplication MapElderIoTMetrics(this WebApplication app)
    {
        // Open like /health: counters by reason, never a person's data, and Prometheus scrapes
        // without a shift-long token. Bind the node to loopback or a monitoring network.
        app.MapPrometheusScrapingEndpoint(app.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value.MetricsPath).AllowAnonymous();
        return app;
    }
}
