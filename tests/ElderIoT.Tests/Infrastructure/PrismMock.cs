using System.Net.Sockets;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// Twilio's own OpenAPI document (shared/specs/twilio) served by Stoplight Prism, a validating mock:
/// a request that breaks Twilio's contract is refused as the real API would refuse it.
/// </summary>
public sealed class PrismMock : IAsyncLifetime
{
    /// <summary>An account SID of the shape Twilio's document requires.</summary>
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    private ExternalProcess? _process;

    public Uri BaseUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var prism = Path.Combine(RepoPaths.Root, "tests", "tools", "node_modules", ".bin", "prism");
        if (!File.Exists(prism))
        {
            throw new InvalidOperationException($"{prism} is missing: run scripts/test.sh, which installs the test tools (npm ci in tests/tools).");
        }

        var spec = Path.Combine(SharedDirectory(), "specs", "twilio", "twilio_api_v2010.json");
        var port = FreePort.Next();
        _process = ExternalProcess.Start(prism, ["mock", "-h", "127.0.0.1", "-p", port.ToString(), spec]);
        BaseUrl = new Uri($"http://127.0.0.1:{port}");

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(250);
            }
        }

        throw new InvalidOperationException($"Prism did not start on port {port}:\n{_process.Output}");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private static string SharedDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("ELDERIOT_SHARED_DIR");
        var shared = string.IsNullOrEmpty(configured) ? Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared")) : configured;
        return Directory.Exists(shared)
            ? shared
            : throw new InvalidOperationException($"shared/ with Twilio's OpenAPI document not found at {shared} (set ELDERIOT_SHARED_DIR).");
    }
}
