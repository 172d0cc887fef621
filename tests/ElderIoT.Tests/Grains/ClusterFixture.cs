using System.Collections.Concurrent;
using ElderIoT.Grains;
using ElderIoT.Grains.Infrastructure;
using ElderIoT.Grains.Notifications;
using ElderIoT.Records;
using ElderIoT.Telemetry.Pipeline;
using ElderIoT.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace ElderIoT.Tests.Grains;

/// <summary>
/// An in-process Orleans test cluster with the real grains, a fake domain clock and a scripted SMS
/// provider; records in SQLite, or in a PostgreSQL database of its own on a PostgreSQL run (<see cref="TestRecords"/>).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    // The silo is built by the test host from a type, not an instance: shared parts are static.
    internal static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
    internal static readonly ScriptedSmsSender Sms = new();
    internal static readonly RecordingTelemetryWriter Telemetry = new();
    private static readonly string DataDirectory = RepoPaths.TempDirectory("cluster");

    private PostgresTestDatabase? _database;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        if (TestRecords.OnPostgres)
        {
            _database = await PostgresTestDatabase.CreateAsync();
            builder.Properties[TestRecords.ConnectionStringKey] = _database.ConnectionString;
        }

        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var services = siloBuilder.Services;
            services.AddElderIoTRecords();
            services.Configure<RecordsOptions>(o => o.DataDirectory = DataDirectory);
            services.AddKeyedSingleton<TimeProvider>(ElderIoTClock.Key, Clock);
            services.AddElderIoTGrains();
            services.AddSingleton<IFamilyNotifier>(Sms);
            services.AddSingleton<ITelemetryWriter>(Telemetry);
            // This cluster's clock jumps hours ahead: every device would go silent at once.
            services.Configure<ElderIoT.Grains.Rules.AlarmRulesOptions>(o => o.SupervisionEnabled = false);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>A provider whose answers a test scripts per recipient; it records every text and call.</summary>
internal sealed class ScriptedSmsSender : IFamilyNotifier
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SendOutcome>> _scripts = new();

    public ConcurrentQueue<SmsMessage> Attempts { get; } = new();

    public ConcurrentQueue<VoiceCall> Calls { get; } = new();

    public void Script(string recipient, params SendOutcome[] outcomes) => _scripts[recipient] = new(outcomes);

    public IReadOnlyList<SmsMessage> AttemptsTo(string recipient) => [.. Attempts.Where(a => a.To == recipient)];

    public Task<SendResult> SendSmsAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(message);
        return Task.FromResult(Next(message.To, "SM"));
    }

    public Task<SendResult> CallAsync(VoiceCall call, CancellationToken cancellationToken)
    {
        Calls.Enqueue(call);
        return Task.FromResult(Next(call.To, "CA"));
    }

    private SendResult Next(string recipient, string sidPrefix)
    {
        var outcome = _scripts.TryGetValue(recipient, out var script) && script.TryDequeue(out var next) ? next : SendOutcome.Accepted;
        return outcome == SendOutcome.Accepted
            ? new SendResult(outcome, ProviderId: $"{sidPrefix}{Guid.NewGuid():N}")
            : new SendResult(outcome, Error: $"scripted {outcome}");
    }
}
