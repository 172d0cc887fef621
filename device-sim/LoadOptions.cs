namespace ElderIoT.DeviceSim;

/// <summary>Load mode (<c>--load</c>): many devices on one machine, measured; parsed by <see cref="SimCommandLine"/>.</summary>
internal sealed record LoadOptions
{
    public int Devices { get; init; } = 1000;
    public int RampPerSecond { get; init; } = 500;
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);
    public int Qos { get; init; } = 1;
    public string Target { get; init; } = "elderiot";
    public int SourceAddresses { get; init; } = 1;

    /// <summary>The first source address, 127.0.0.N: several simulators on one machine each take their own (an address has ~28 000 ports).</summary>
    public int FirstSourceAddress { get; init; } = 1;
    public int FloodPublishers { get; init; } = 100;
    public TimeSpan Flood { get; init; } = TimeSpan.FromSeconds(10);
    public int SosCount { get; init; } = 100;
    public double LoadFraction { get; init; } = 0.5;
    public string? Credentials { get; init; }
    public string? Out { get; init; }
}
