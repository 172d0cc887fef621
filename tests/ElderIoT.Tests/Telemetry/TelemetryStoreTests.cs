using ElderIoT.Telemetry;
using ElderIoT.Telemetry.Embedded;
using ElderIoT.Telemetry.Influx;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ElderIoT.Tests.Telemetry;

public sealed class EmbeddedTelemetryStoreTests : TelemetryStoreContract
{
    protected override ITelemetryStore Store { get; } = new EmbeddedTelemetryStore(
        Path.Combine(RepoPaths.TempDirectory("telemetry"), "telemetry.db"), Options.Create(new TelemetryOptions()), TimeProvider.System);
}

public sealed class InfluxDbTelemetryStoreTests(InfluxServer influx) : TelemetryStoreContract, IClassFixture<InfluxServer>
{
    protected override ITelemetryStore Store { get; } = InfluxStores.V1(Options.Create(Settings(influx)));

    internal static TelemetryOptions Settings(InfluxServer influx) => new()
    {
        Store = "influxdb",
        InfluxDb = new InfluxDbOptions { Url = influx.Url, Database = "elderiot_contract" },
    };
}
