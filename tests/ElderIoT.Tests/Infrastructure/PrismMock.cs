using System.Diagnostics;
using System.Net.Sockets;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// Twilio's own OpenAPI document (tests/specs/twilio, copied with its licence) served by Stoplight Prism, a validating mock:
/// a request that breaks Twilio's contract is refused as the real API would refuse it.
/// </summary>
/// <remarks>
/// Static mode (no <c>-d</c>): Prism answers with the document's example, so the SID is always the same
/// <c>SMaaaa…</c>. It checks that Basic auth is present, not what the token is.
/// </remarks>
public sealed class PrismMock : IAsyncLifetime
{
    /// <summary>An account SID of the shape Twilio's document requires (^AC[0-9a-fA-F]{32}$).</summary>
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ExternalProcess? _process;

    public Uri BaseUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var spec = RepoPaths.VendorSpec("twilio", "twilio_api_v2010.json");
        (_process, BaseUrl) = await StartAsync(port => ["mock", "-h", "127.0.0.1", "-p", port.ToString(), spec], spec);
    }

    /// <summary>Starts Prism with <paramref name="arguments"/> for a free port and waits until it listens.</summary>
    internal static async Task<(ExternalProcess Process, Uri BaseUrl)> StartAsync(Func<int, string[]> arguments, string what)
    {
        var prism = Path.Combine(RepoPaths.Root, "tests", "tools", "node_modules", ".bin", "prism");
        if (!File.Exists(prism))
        {
            throw new InvalidOperationException(
                $"Prism is not installed ({prism} is missing): run scripts/test.sh, which installs the test tools (npm ci in tests/tools).");
        }

        var started = Stopwatch.StartNew();
        var attempts = new List<string>();
        // A port that was free a moment ago can be taken before Prism binds it; then Prism exits and we try another.
        while (started.Elapsed < StartTimeout && attempts.Count < 3)
        {
            var port = FreePort.Next();
            var process = ExternalProcess.Start(prism, arguments(port));
            if (await AnswersAsync(process, port, started))
            {
                return (process, new Uri($"http://127.0.0.1:{port}"));
            }

            attempts.Add($"port {port}, {(process.HasExited ? "exited" : "no answer")} after {started.Elapsed.TotalSeconds:0} s; Prism printed:\n{process.Output}");
            await process.DisposeAsync();
        }

        throw new InvalidOperationException(
            $"Prism did not start serving {what} within {StartTimeout.TotalSeconds:0} s.\n{string.Join("\n", attempts)}");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private static async Task<bool> AnswersAsync(ExternalProcess process, int port, Stopwatch started)
    {
        while (started.Elapsed < StartTimeout && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                // Prism loads and compiles a large document before it listens; poll rather than guess how long.
                await Task.Delay(200);
            }
        }

        return false;
    }
}
