using System.Globalization;

namespace ElderIoT.DeviceSim;

/// <summary>What to simulate, from the command line.</summary>
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
    public string District { get; init; } = "南京市/鼓楼区";
    public bool LeaveOpen { get; init; }

    public static readonly string[] KnownScenarios = ["normal", "sos", "fall", "smoke", "wander", "vitals", "silent", "late-sos", "storm"];

    public const string Usage = """
        ElderIoT device simulator
          --api URL                 REST API (http://127.0.0.1:5080)
          --mqtt-host HOST          broker host (127.0.0.1)
          --mqtt-port PORT          broker port (1883)
          --elders N                elders, each with a device (20)
          --kind watch|handset|mixed  device kind (mixed; every 5th elder also gets a smoke sensor)
          --scenario LIST           normal, sos, fall, smoke, wander, vitals, silent, late-sos, storm;
                                    comma-separated to combine (normal)
          --telemetry-interval S    seconds between readings (5)
          --duration S              seconds to run (30)
          --seed N                  same seed, same run (1)
          --protocol 311|500        MQTT version (500)
          --seat ID                 seat put on duty to watch the alarms (sim-seat)
          --district PREFIX         district the elders live in and the seat serves (南京市/鼓楼区)
          --leave-open              do not accept and resolve the alarms at the end
        """;

    /// <summary>Parses arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static SimOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SimOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int(int min) => int.TryParse(Value(), CultureInfo.InvariantCulture, out var v) && v >= min ? v : throw new ArgumentException($"{name} must be a whole number ≥ {min}");
            options = name switch
            {
                "--api" => options with { Api = Uri.TryCreate(Value(), UriKind.Absolute, out var uri) ? uri : throw new ArgumentException("--api must be an absolute URL") },
                "--mqtt-host" => options with { MqttHost = Value() },
                "--mqtt-port" => options with { MqttPort = Int(1) },
                "--elders" => options with { Elders = Int(1) },
                "--kind" => options with { Kind = OneOf(name, Value(), "watch", "handset", "mixed") },
                "--scenario" => options with { Scenarios = ParseScenarios(Value()) },
                "--telemetry-interval" => options with { TelemetryInterval = TimeSpan.FromSeconds(Int(1)) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Int(1)) },
                "--seed" => options with { Seed = Int(0) },
                "--protocol" => options with { Mqtt311 = Value() switch { "311" => true, "500" => false, _ => throw new ArgumentException("--protocol must be 311 or 500") } },
                "--seat" => options with { Seat = Value() },
                "--district" => options with { District = Value().TrimEnd('/') },
                "--leave-open" => options with { LeaveOpen = true },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return options;
    }

    private static string OneOf(string name, string value, params string[] allowed) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"{name} must be {string.Join(", ", allowed)}");

    private static string[] ParseScenarios(string value)
    {
        var scenarios = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = scenarios.Except(KnownScenarios).ToList();
        return unknown.Count == 0 && scenarios.Length > 0
            ? scenarios
            : throw new ArgumentException($"--scenario: unknown {string.Join(", ", unknown)}; known: {string.Join(", ", KnownScenarios)}");
    }
}
