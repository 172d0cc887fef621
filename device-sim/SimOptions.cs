namespace ElderIoT.DeviceSim;

/// <summary>What to simulate; parsed from the command line by <see cref="SimCommandLine"/>.</summary>
internal sealed record SimOptions
{
    public Uri Api { get; init; } = new("http://127.0.0.1:5080");
    public string MqttHost { get; init; } = "127.0.0.1";
    public int MqttPort { get; init; } = 1883;
    public int Elders { get; init; } = 20;
    public string Kind { get; init; } = "mixed";
    public IReadOnlyList<string> Scenarios { get; init; } = ["normal"];
    public TimeSpan TelemetryInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public int Seed { get; init; } = 1;
    public bool Mqtt311 { get; init; }
    public string Seat { get; init; } = "sim-seat";

    /// <summary>The API's bearer token; accepting and resolving happen as the token's seat.</summary>
    public string? Token { get; init; }
    public string District { get; init; } = "南京市/鼓楼区";
    public bool LeaveOpen { get; init; }
}
