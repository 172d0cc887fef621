namespace ElderIoT.Silo;

/// <summary>The silo of this node (section <c>Orleans</c>).</summary>
public sealed class OrleansHostingOptions
{
    public const string SectionName = "Orleans";

    /// <summary>Cluster id; nodes with the same id and membership store form one cluster.</summary>
    public string ClusterId { get; set; } = "elderiot";

    /// <summary>Service id; stays the same across deployments.</summary>
    public string ServiceId { get; set; } = "elderiot";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The section as configured, or the defaults.</summary>
    public static OrleansHostingOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<OrleansHostingOptions>() ?? new();
}
