using System.Globalization;

namespace ElderIoT.DeviceSim;

/// <summary>Load mode (<c>--load</c>): many devices on one machine, measured.</summary>
internal sealed record LoadOptions
{
    public int Devices { get; init; } = 1000;
    public int RampPerSecond { get; init; } = 500;
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);
    public int Qos { get; init; } = 1;
    public string Target { get; init; } = "elderiot";
    public int SourceAddresses { get; init; } = 1;
    public int FloodPublishers { get; init; } = 100;
    public TimeSpan Flood { get; init; } = TimeSpan.FromSeconds(10);
    public int SosCount { get; init; } = 100;
    public double LoadFraction { get; init; } = 0.5;
    public string? Credentials { get; init; }
    public string? Out { get; init; }

    public const string Usage = """
        Load mode: device-sim --load [options]
          --devices N               devices to connect (1000)
          --ramp N                  connects per second (500)
          --hold S                  seconds to hold them, each reporting every --interval; also the loaded phase's length (30)
          --interval S              seconds between a device's readings while held (10)
          --qos 0|1                 QoS of telemetry (1)
          --target elderiot|mosquitto  the broker under test (elderiot); mosquitto needs no credentials
          --source-addresses N      spread connections over 127.0.0.1..127.0.0.N (1)
          --flood-publishers N      publishers in the saturation phase (100)
          --flood S                 seconds of saturation (10)
          --load-fraction F         after saturation, hold again publishing at F × the saturation rate (0.5; 0 skips)
          --sos N                   SOS events in each held phase, for alarm latency (100; elderiot only)
          --credentials FILE        reuse provisioned devices from FILE (written when missing)
          --out FILE                write the results as JSON
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args, out List<string> rest)
    {
        var options = new LoadOptions();
        rest = [];
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int(int min) => int.TryParse(Value(), CultureInfo.InvariantCulture, out var v) && v >= min ? v : throw new ArgumentException($"{name} must be a whole number ≥ {min}");
            switch (name)
            {
                case "--load": break;
                case "--devices": options = options with { Devices = Int(1) }; break;
                case "--ramp": options = options with { RampPerSecond = Int(1) }; break;
                case "--hold": options = options with { Hold = TimeSpan.FromSeconds(Int(1)) }; break;
                case "--interval": options = options with { Interval = TimeSpan.FromSeconds(Int(1)) }; break;
                case "--qos": options = options with { Qos = Int(0) is var q and <= 1 ? q : throw new ArgumentException("--qos must be 0 or 1") }; break;
                case "--target": options = options with { Target = Value() is "elderiot" or "mosquitto" ? args[i] : throw new ArgumentException("--target must be elderiot or mosquitto") }; break;
                case "--source-addresses": options = options with { SourceAddresses = Int(1) is var n and <= 250 ? n : throw new ArgumentException("--source-addresses must be 1..250") }; break;
                case "--flood-publishers": options = options with { FloodPublishers = Int(1) }; break;
                case "--flood": options = options with { Flood = TimeSpan.FromSeconds(Int(0)) }; break;
                case "--sos": options = options with { SosCount = Int(0) }; break;
                case "--load-fraction":
                    options = options with
                    {
                        LoadFraction = double.TryParse(Value(), CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 1 ? f : throw new ArgumentException("--load-fraction must be a number from 0 to 1"),
                    };
                    break;
                case "--credentials": options = options with { Credentials = Value() }; break;
                case "--out": options = options with { Out = Value() }; break;
                default:
                    // Not a load option: hand it, with its value, to the common options.
                    rest.Add(name);
                    if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        rest.Add(args[++i]);
                    }

                    break;
            }
        }

        return options;
    }
}
