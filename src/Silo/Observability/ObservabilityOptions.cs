namespace ElderIoT.Silo.Observability;

/// <summary>How this node's metrics leave it (section <c>Observability</c>).</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>Path of the Prometheus scrape endpoint (text exposition format), on the REST port.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>An OTLP collector to push metrics to as well (e.g. <c>http://127.0.0.1:4317</c>); none by default.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>OTLP over gRPC (port 4317) or HTTP/protobuf (port 4318).</summary>
    public OtlpTransport OtlpProtocol { get; set; } = OtlpTransport.Grpc;
}

/// <summary>The two OTLP transports.</summary>
public enum OtlpTransport
{
    Grpc,
    HttpProtobuf,
}
