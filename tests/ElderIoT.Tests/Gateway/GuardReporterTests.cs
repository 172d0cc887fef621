using ElderIoT.Gateway.Guard;
using ElderIoT.Gateway.Hosting;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ElderIoT.Tests.Gateway;

public sealed class GuardReporterTests
{
    [Fact]
    public void ABurstOfHitsIsLoggedOnceAndSummarisedWhenTheIntervalEnds()
    {
        var time = new FakeTimeProvider();
        var logs = new CollectingLoggerProvider();
        using var meters = new TestMeters();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        using var reporter = new GuardReporter(new GatewayMetrics(meters), time, Options.Create(new ConnectionLimits { LogInterval = TimeSpan.FromSeconds(10) }), loggers.CreateLogger<GuardReporter>());

        for (var i = 0; i < 400; i++)
        {
            reporter.Hit("device", GuardLimit.PacketTooLarge, $"client {i}");
        }

        reporter.Hit("device", GuardLimit.ConnectTimeout, "slow one");
        var duringBurst = logs.Entries.Select(e => e.Message).ToList();
        time.Advance(TimeSpan.FromSeconds(10));
        reporter.Hit("device", GuardLimit.PacketTooLarge, "the next burst");

        Assert.Equal(2, duringBurst.Count);
        Assert.Contains("packet_too_large hit by client 0", duringBurst[0]);
        Assert.Contains("connect_timeout hit by slow one", duringBurst[1]);
        var after = logs.Entries.Skip(2).Select(e => e.Message).ToList();
        Assert.Equal(2, after.Count);
        Assert.Contains("packet_too_large hit 399 more times", after[0]);
        Assert.Contains("packet_too_large hit by the next burst", after[1]);
    }
}
