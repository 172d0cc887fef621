using System.Net.Http.Json;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>The built host executable (src/Silo) as a process of its own, which a test may kill -9.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly ExternalProcess _process;

    private SiloProcess(ExternalProcess process, HttpClient http, int mqttPort)
    {
        _process = process;
        Http = http;
        MqttPort = mqttPort;
    }

    public HttpClient Http { get; }

    public int MqttPort { get; }

    public string Output => _process.Output;

    public static async Task<SiloProcess> StartAsync(string dataDirectory, params string[] settings)
    {
        var httpPort = FreePort.Next();
        var mqttPort = FreePort.Next();
        var silo = Path.Combine(RepoPaths.Root, "src", "Silo", "bin", BuildConfiguration, "net10.0", "ElderIoT.Silo.dll");
        var process = ExternalProcess.Start("dotnet", [
            silo,
            "--urls", $"http://127.0.0.1:{httpPort}",
            "--Gateway:Port", mqttPort.ToString(),
            "--Gateway:BindAddress", "127.0.0.1",
            "--Storage:DataDirectory", dataDirectory,
            "--Orleans:SiloPort", FreePort.Next().ToString(),
            "--Orleans:GatewayPort", FreePort.Next().ToString(),
            .. TestTokens.Arguments,
            .. settings,
        ], workingDirectory: Path.GetDirectoryName(silo));
        var http = TestTokens.Client(new Uri($"http://127.0.0.1:{httpPort}"), TestTokens.Admin);
        var node = new SiloProcess(process, http, mqttPort);
        await TestNode.EventuallyAsync(() => ReadyAsync(http), ready => ready || process.HasExited, "the host to be ready", TimeSpan.FromSeconds(60));
        if (process.HasExited)
        {
            throw new InvalidOperationException("The host exited: " + process.Output);
        }

        return node;
    }

    public async Task<T> PostAsync<T>(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body, TestNode.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(TestNode.Json))!;
    }

    public async Task<T> GetAsync<T>(string path) => (await Http.GetFromJsonAsync<T>(path, TestNode.Json))!;

    public void KillHard() => _process.KillHard();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static async Task<bool> ReadyAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
