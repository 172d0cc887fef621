using System.Net.Http.Json;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// The built node executable (src/Silo) as an operator runs it, a process of its own on free ports
/// and a data folder of its own, which a test may stop with SIGTERM or kill -9.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private NodeProcess(ExternalProcess process, int httpPort, int mqttPort, int siloPort, int gatewayPort, bool testSignIn = true)
    {
        Process = process;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        var address = new Uri($"http://127.0.0.1:{httpPort}");
        Http = testSignIn ? TestTokens.Client(address, TestTokens.Admin) : new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ExternalProcess Process { get; }

    public HttpClient Http { get; }

    public int HttpPort { get; }

    public int MqttPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string Output => Process.Output;

    public static string Executable => Path.Combine(RepoPaths.Root, "src", "Silo", "bin", BuildConfiguration, "net10.0", "ElderIoT.Silo.dll");

    /// <summary>Starts a node without waiting for it; ports not given are free ones; <paramref name="settings"/> are more command-line settings.</summary>
    public static NodeProcess Start(
        int? httpPort = null, int? mqttPort = null, int? siloPort = null, int? gatewayPort = null, string? dataDirectory = null, params string[] settings) =>
        Start(testSignIn: true, httpPort, mqttPort, siloPort, gatewayPort, dataDirectory, settings);

    /// <summary>
    /// Starts a node as the README's first command does: no signing key, no admin password given, so
    /// it makes its own; <see cref="Http"/> calls anonymously. Waits until it is ready.
    /// </summary>
    public static async Task<NodeProcess> StartAsReadmeSaysAsync(string dataDirectory) =>
        await WaitReadyOrDisposeAsync(Start(testSignIn: false, null, null, null, null, dataDirectory, []));

    private static NodeProcess Start(
        bool testSignIn, int? httpPort, int? mqttPort, int? siloPort, int? gatewayPort, string? dataDirectory, string[] settings)
    {
        var http = httpPort ?? FreePort.Next();
        var mqtt = mqttPort ?? FreePort.Next();
        var silo = siloPort ?? FreePort.Next();
        var gateway = gatewayPort ?? FreePort.Next();
        var process = ExternalProcess.Start("dotnet", [
            Executable,
            "--urls", $"http://127.0.0.1:{http}",
            "--Gateway:Port", mqtt.ToString(),
            "--Gateway:BindAddress", "127.0.0.1",
            "--Storage:DataDirectory", dataDirectory ?? RepoPaths.TempDirectory("node-process"),
            "--Orleans:SiloPort", silo.ToString(),
            "--Orleans:GatewayPort", gateway.ToString(),
            .. (testSignIn ? TestTokens.Arguments : []),
            .. settings,
        ], workingDirectory: Path.GetDirectoryName(Executable));
        return new NodeProcess(process, http, mqtt, silo, gateway, testSignIn);
    }

    /// <summary>Starts a node on free ports and waits until it is ready; fails with its output if it exits first.</summary>
    public static Task<NodeProcess> StartAsync(string dataDirectory, params string[] settings) =>
        WaitReadyOrDisposeAsync(Start(dataDirectory: dataDirectory, settings: settings));

    private static async Task<NodeProcess> WaitReadyOrDisposeAsync(NodeProcess node)
    {
        try
        {
            await node.WaitReadyAsync();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the node answers ready; fails with its output if it exits first.</summary>
    public async Task WaitReadyAsync()
    {
        await TestNode.EventuallyAsync(ReadyAsync, ready => ready || Process.HasExited, "the node to be ready", TimeSpan.FromSeconds(90));
        Assert.False(Process.HasExited, Output);
    }

    public async Task<T> PostAsync<T>(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body, TestNode.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(TestNode.Json))!;
    }

    public async Task<T> GetAsync<T>(string path) => (await Http.GetFromJsonAsync<T>(path, TestNode.Json))!;

    /// <summary>The API as the seat <paramref name="seatId"/> signed in on this node.</summary>
    public TestApi AsSeat(string seatId, params string[] districts) => new(TestTokens.Client(Http.BaseAddress!, TestTokens.Seat(seatId, districts)));

    /// <summary>Sends SIGTERM, as systemd, Docker and Ctrl+C do.</summary>
    public async Task TerminateAsync()
    {
        var kill = await ExternalProcess.RunAsync("kill", "-TERM", Process.Id.ToString());
        Assert.True(kill.ExitCode == 0, kill.Output);
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would: nothing of the node runs after it.</summary>
    public void KillHard() => Process.KillHard();

    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        return Process.DisposeAsync();
    }

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private async Task<bool> ReadyAsync()
    {
        try
        {
            return (await Http.GetAsync("/health/ready")).IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
