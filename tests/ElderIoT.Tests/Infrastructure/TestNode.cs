using System.Text.Json;
using ElderIoT.Api;
using ElderIoT.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// A real ElderIoT node in this process, composed exactly as Program composes it, on free ports
/// and a data folder of its own. Errors the node logs are collected so a test can fail on them.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PostgresTestDatabase? _ownDatabase;

    private TestNode(WebApplication app, string dataDirectory, int mqttPort, CollectingLoggerProvider logs, PostgresTestDatabase? ownDatabase)
    {
        _app = app;
        _ownDatabase = ownDatabase;
        DataDirectory = dataDirectory;
        MqttPort = mqttPort;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // The suite calls as an admin and reads the API's English texts; LanguageTests reads the
        // default (zh-CN) and both languages; AccessControlTests calls as every role.
        Http = TestTokens.Client(new Uri(address), TestTokens.Admin);
    }

    public static JsonSerializerOptions Json { get; } = CreateJson();

    public HttpClient Http { get; }

    public int MqttPort { get; }

    public string DataDirectory { get; }

    public CollectingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a node. <paramref name="settings"/> override configuration; <paramref name="services"/> override services.
    /// On a PostgreSQL run (<see cref="TestRecords"/>) its records go to a database of its own: dropped with the
    /// node, or, when the test names the data folder (to restart on it), kept for that folder until the run ends.
    /// </summary>
    public static async Task<TestNode> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        string? dataDirectory = null)
    {
        var restartable = dataDirectory is not null;
        dataDirectory ??= RepoPaths.TempDirectory("node");
        var mqttPort = FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Test",
            ContentRootPath = AppContext.BaseDirectory,
        });
        var config = new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
            ["Gateway:Port"] = mqttPort.ToString(),
            ["Storage:DataDirectory"] = dataDirectory,
            ["Orleans:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
            ["Escalation:SweepInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in TestTokens.Settings)
        {
            config[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        PostgresTestDatabase? ownDatabase = null;
        if (TestRecords.OnPostgres && !config.ContainsKey(TestRecords.ConnectionStringKey))
        {
            var database = restartable ? await TestRecords.DatabaseForAsync(dataDirectory) : ownDatabase = await PostgresTestDatabase.CreateAsync();
            config[TestRecords.ConnectionStringKey] = database.ConnectionString;
        }

        builder.Configuration.AddInMemoryCollection(config);
        var logs = new CollectingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.AddElderIoTNode();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapElderIoTNode();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            if (ownDatabase is not null)
            {
                await ownDatabase.DisposeAsync();
            }

            throw;
        }

        return new TestNode(app, dataDirectory, mqttPort, logs, ownDatabase);
    }

    /// <summary>As the admin (the suite's default caller).</summary>
    public Task<T> PostAsync<T>(string path, object body) => new TestApi(Http).PostAsync<T>(path, body);

    /// <summary>As the admin (the suite's default caller).</summary>
    public Task<T> GetAsync<T>(string path) => new TestApi(Http).GetAsync<T>(path);

    /// <summary>The API as the seat <paramref name="seatId"/> serving <paramref name="districts"/>: accepting and resolving are done as a seat.</summary>
    public TestApi AsSeat(string seatId, params string[] districts) => new(TestTokens.Client(Http.BaseAddress!, TestTokens.Seat(seatId, districts)));

    /// <summary>The API as any caller.</summary>
    public TestApi As(string token) => new(TestTokens.Client(Http.BaseAddress!, token));

    /// <summary>Polls until the condition holds; fails with the message after the timeout.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T last;
        do
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last value: {JsonSerializer.Serialize(last, Json)}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownDatabase is not null)
        {
            await _ownDatabase.DisposeAsync();
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiServiceCollectionExtensions.ConfigureJson(options);
        return options;
    }
}
