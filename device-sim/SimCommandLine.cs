using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;

namespace ElderIoT.DeviceSim;

/// <summary>
/// device-sim's command line (System.CommandLine): every option once, with its help text, default and
/// validation, so <c>--help</c>, error messages and shell completion all come from one definition.
/// </summary>
internal static class SimCommandLine
{
    public static readonly string[] KnownScenarios = ["normal", "sos", "fall", "smoke", "wander", "vitals", "silent", "late-sos", "storm", "outage", "fence-line", "river", "locate"];

    private static readonly SimOptions SimDefaults = new();
    private static readonly LoadOptions LoadDefaults = new();

    // Common to both modes.
    private static readonly Option<Uri> Api = new("--api") { Description = "ElderIoT REST API", DefaultValueFactory = _ => SimDefaults.Api, CustomParser = AbsoluteUri };
    private static readonly Option<string> MqttHost = new("--mqtt-host") { Description = "MQTT broker host", DefaultValueFactory = _ => SimDefaults.MqttHost };
    private static readonly Option<int> MqttPort = AtLeast(new Option<int>("--mqtt-port") { Description = "MQTT broker port", DefaultValueFactory = _ => SimDefaults.MqttPort }, 1);
    private static readonly Option<string> Mqtt = OneOf(new Option<string>("--mqtt") { Description = "MQTT protocol version", DefaultValueFactory = _ => "5" }, "3.1.1", "5");
    private static readonly Option<string?> Token = new("--token")
    {
        Description = "bearer token for the API (default: $ELDERIOT_TOKEN); an admin acting as a seat: dotnet run --project src/Silo -- token --user sim --role admin --seat-id sim-seat",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ELDERIOT_TOKEN"),
    };

    private static readonly Option<string> Seat = new("--seat") { Description = "seat put on duty to watch the alarms", DefaultValueFactory = _ => SimDefaults.Seat };
    private static readonly Option<string> District = new("--district") { Description = "district the elders live in and the seat serves", DefaultValueFactory = _ => SimDefaults.District };

    // Scenario mode.
    private static readonly Option<int> Elders = AtLeast(new Option<int>("--elders") { Description = "elders, each with a device", DefaultValueFactory = _ => SimDefaults.Elders }, 1);
    private static readonly Option<string> Kind = OneOf(new Option<string>("--kind") { Description = "device kind (mixed: every 5th elder also gets a smoke sensor)", DefaultValueFactory = _ => SimDefaults.Kind }, "watch", "handset", "mixed");
    private static readonly Option<string[]> Scenario = new("--scenario") { Description = "scenarios, comma-separated to combine: " + string.Join(", ", KnownScenarios), DefaultValueFactory = _ => [.. SimDefaults.Scenarios], CustomParser = Scenarios };
    private static readonly Option<int> TelemetryInterval = AtLeast(new Option<int>("--telemetry-interval") { Description = "seconds between a device's readings", DefaultValueFactory = _ => (int)SimDefaults.TelemetryInterval.TotalSeconds }, 1);
    private static readonly Option<int> Duration = AtLeast(new Option<int>("--duration") { Description = "seconds to run", DefaultValueFactory = _ => (int)SimDefaults.Duration.TotalSeconds }, 1);
    private static readonly Option<int> Seed = AtLeast(new Option<int>("--seed") { Description = "same seed, same run", DefaultValueFactory = _ => SimDefaults.Seed }, 0);
    private static readonly Option<bool> LeaveOpen = new("--leave-open") { Description = "do not accept and resolve the alarms at the end" };

    // Load mode.
    private static readonly Option<bool> Load = new("--load") { Description = "load mode: many devices, measured in phases (connect, hold, saturation, loaded)" };
    private static readonly Option<int> Devices = AtLeast(new Option<int>("--devices") { Description = "load: devices to connect", DefaultValueFactory = _ => LoadDefaults.Devices }, 1);
    private static readonly Option<int> Ramp = AtLeast(new Option<int>("--ramp") { Description = "load: connects per second", DefaultValueFactory = _ => LoadDefaults.RampPerSecond }, 1);
    private static readonly Option<int> Hold = AtLeast(new Option<int>("--hold") { Description = "load: seconds to hold the devices; also the loaded phase's length", DefaultValueFactory = _ => (int)LoadDefaults.Hold.TotalSeconds }, 1);
    private static readonly Option<int> Interval = AtLeast(new Option<int>("--interval") { Description = "load: seconds between a device's readings while held", DefaultValueFactory = _ => (int)LoadDefaults.Interval.TotalSeconds }, 1);
    private static readonly Option<int> Qos = InRange(new Option<int>("--qos") { Description = "load: QoS of telemetry (0 or 1)", DefaultValueFactory = _ => LoadDefaults.Qos }, 0, 1);
    private static readonly Option<string> Target = OneOf(new Option<string>("--target") { Description = "load: the broker under test (mosquitto needs no credentials)", DefaultValueFactory = _ => LoadDefaults.Target }, "elderiot", "mosquitto");
    private static readonly Option<int> SourceAddresses = InRange(new Option<int>("--source-addresses") { Description = "load: spread connections over 127.0.0.1..127.0.0.N", DefaultValueFactory = _ => LoadDefaults.SourceAddresses }, 1, 250);
    private static readonly Option<int> FirstSourceAddress = InRange(new Option<int>("--first-source-address") { Description = "load: the first source address is 127.0.0.N (several simulators at once each take their own)", DefaultValueFactory = _ => LoadDefaults.FirstSourceAddress }, 1, 250);
    private static readonly Option<int> FloodPublishers = AtLeast(new Option<int>("--flood-publishers") { Description = "load: publishers in the saturation phase", DefaultValueFactory = _ => LoadDefaults.FloodPublishers }, 1);
    private static readonly Option<int> Flood = AtLeast(new Option<int>("--flood") { Description = "load: seconds of saturation", DefaultValueFactory = _ => (int)LoadDefaults.Flood.TotalSeconds }, 0);
    private static readonly Option<double> LoadFraction = new("--load-fraction") { Description = "load: after saturation, publish at this fraction of the saturation rate (0 skips)", DefaultValueFactory = _ => LoadDefaults.LoadFraction, CustomParser = Fraction };
    private static readonly Option<int> Sos = AtLeast(new Option<int>("--sos") { Description = "load: SOS events in each held phase, for alarm latency (elderiot only)", DefaultValueFactory = _ => LoadDefaults.SosCount }, 0);
    private static readonly Option<string?> Credentials = new("--credentials") { Description = "load: reuse provisioned devices from this file (written when missing)" };
    private static readonly Option<string?> Out = new("--out") { Description = "load: write the results as JSON to this file" };

    /// <summary>The root command; <paramref name="run"/> is what a valid command line runs.</summary>
    public static RootCommand Create(Func<SimOptions, LoadOptions?, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("ElderIoT device simulator: elders' watches, handsets and home sensors over MQTT, with scenarios and a measured load mode.")
        {
            Api, Token, MqttHost, MqttPort, Mqtt, Seat, District,
            Elders, Kind, Scenario, TelemetryInterval, Duration, Seed, LeaveOpen,
            Load, Devices, Ramp, Hold, Interval, Qos, Target, SourceAddresses, FirstSourceAddress, FloodPublishers, Flood, LoadFraction, Sos, Credentials, Out,
        };
        root.SetAction((result, cancellationToken) => run(SimOptionsOf(result), result.GetValue(Load) ? LoadOptionsOf(result) : null, cancellationToken));
        return root;
    }

    /// <summary>Parses a command line; errors are in the result, as System.CommandLine reports them.</summary>
    public static ParseResult Parse(params string[] args) => Create((_, _, _) => Task.FromResult(0)).Parse(args);

    public static SimOptions SimOptionsOf(ParseResult result) => new()
    {
        Api = result.GetValue(Api)!,
        Token = result.GetValue(Token),
        MqttHost = result.GetValue(MqttHost)!,
        MqttPort = result.GetValue(MqttPort),
        Mqtt311 = result.GetValue(Mqtt) == "3.1.1",
        Seat = result.GetValue(Seat)!,
        District = result.GetValue(District)!.TrimEnd('/'),
        Elders = result.GetValue(Elders),
        Kind = result.GetValue(Kind)!,
        Scenarios = result.GetValue(Scenario)!,
        TelemetryInterval = TimeSpan.FromSeconds(result.GetValue(TelemetryInterval)),
        Duration = TimeSpan.FromSeconds(result.GetValue(Duration)),
        Seed = result.GetValue(Seed),
        LeaveOpen = result.GetValue(LeaveOpen),
    };

    public static LoadOptions LoadOptionsOf(ParseResult result) => new()
    {
        Devices = result.GetValue(Devices),
        RampPerSecond = result.GetValue(Ramp),
        Hold = TimeSpan.FromSeconds(result.GetValue(Hold)),
        Interval = TimeSpan.FromSeconds(result.GetValue(Interval)),
        Qos = result.GetValue(Qos),
        Target = result.GetValue(Target)!,
        SourceAddresses = result.GetValue(SourceAddresses),
        FirstSourceAddress = result.GetValue(FirstSourceAddress),
        FloodPublishers = result.GetValue(FloodPublishers),
        Flood = TimeSpan.FromSeconds(result.GetValue(Flood)),
        LoadFraction = result.GetValue(LoadFraction),
        SosCount = result.GetValue(Sos),
        Credentials = result.GetValue(Credentials),
        Out = result.GetValue(Out),
    };

    private static Option<int> AtLeast(Option<int> option, int min) => InRange(option, min, int.MaxValue);

    // Parsed by hand rather than with AcceptOnlyFromAmong, whose message does not name the option.
    private static Option<string> OneOf(Option<string> option, params string[] allowed)
    {
        option.HelpName = string.Join('|', allowed);
        option.CompletionSources.Add(allowed);
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (allowed.Contains(text))
            {
                return text;
            }

            result.AddError($"{option.Name} must be one of {string.Join(", ", allowed)}, not '{text}'");
            return null;
        };
        return option;
    }

    // Range checks parse the token themselves: a validator would run after a failed conversion and throw.
    private static Option<int> InRange(Option<int> option, int min, int max)
    {
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError(max == int.MaxValue
                ? $"{option.Name} must be a whole number ≥ {min}, not '{text}'"
                : $"{option.Name} must be a whole number from {min} to {max}, not '{text}'");
            return 0;
        };
        return option;
    }

    private static double Fraction(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1)
        {
            return value;
        }

        result.AddError($"--load-fraction must be a number from 0 to 1, not '{text}'");
        return 0;
    }

    private static Uri? AbsoluteUri(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return uri;
        }

        result.AddError($"--api must be an absolute URL, not '{text}'");
        return null;
    }

    private static string[]? Scenarios(ArgumentResult result)
    {
        var scenarios = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var unknown = scenarios.Except(KnownScenarios).ToList();
        if (unknown.Count > 0 || scenarios.Length == 0)
        {
            result.AddError($"--scenario: unknown '{string.Join(", ", unknown)}'; known: {string.Join(", ", KnownScenarios)}");
            return null;
        }

        return scenarios;
    }
}
