namespace ElderIoT.Tests.Infrastructure;

/// <summary>The built node executable as an operator runs it, on free ports and a data folder of its own.</summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private NodeProcess(ExternalProcess process, int httpPort, int mqttPort, int siloPort, int gatewayPort)
    {
        Process = process;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Http = TestTokens.Client(new Uri($"http://127.0.0.1:{httpPort}"), TestTokens.Admin);
    }

    public ExternalProcess Process { get; }

    public HttpClient Http { get; }

    public int HttpPort { get; }

    public int MqttPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string Output => Process.Output;

    public static string Executable => Path.Combine(RepoPaths.Root, "src", "Silo", "bin", BuildConfiguration, "net10.0", "ElderIoT.Silo.dll");

    /// <summary>Starts a node; ports not given are free ones.</summary>
    /// <param name="extraArguments">More command-line settings; they override the ones above.</param>
    public static NodeProcess Start(int? httpPort = null, int? mqttPort = null, int? siloPort = null, int? gatewayPort = null, string? dataDirectory = null, IEnumerable<string>? extraArguments = null)
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
            .. TestTokens.Arguments,
            .. extraArguments ?? [],
        ], workingDirectory: Path.GetDirectoryName(Executable));
        return new NodeProcess(process, http, mqtt, silo, gateway);
    }

    /// <summary>Waits until the node answers ready; fails with its output if it exits first.</summary>
    public async Task WaitReadyAsync()
    {
        await TestNode.EventuallyAsync(ReadyAsync, ready => ready || Process.HasExited, "the node to be ready", TimeSpan.FromSeconds(60));
        Assert.False(Process.HasExited, Output);
    }

    /// <summary>Sends SIGTERM, as systemd, Docker and Ctrl+C do.</summary>
    public async Task TerminateAsync()
    {
        var kill = await ExternalProcess.RunAsync("kill", "-TERM", Process.Id.ToString());
        Assert.True(kill.ExitCode == 0, kill.Output);
    }

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
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
