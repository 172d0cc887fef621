using System.Globalization;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// A real influxd (Debian's InfluxDB 1.x) on free loopback ports with its own data folder. It can be
/// stopped and started again on the same port and data, to test what happens while it is down.
/// </summary>
public sealed class InfluxServer : IAsyncLifetime
{
    private readonly string _directory = RepoPaths.TempDirectory("influxd");
    private int _port;
    private int _rpcPort;
    private ExternalProcess? _process;

    public Uri Url => new($"http://127.0.0.1:{_port}");

    public async Task InitializeAsync()
    {
        // A port found free can be taken by a parallel test before influxd binds it: try fresh ones.
        for (var attempt = 1; ; attempt++)
        {
            _port = FreePort.Next();
            _rpcPort = FreePort.Next();
            try
            {
                await ConfigureAndStartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await StopAsync();
            }
        }
    }

    private async Task ConfigureAndStartAsync()
    {
        var config = Path.Combine(_directory, "influxdb.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{_rpcPort}"
            [meta]
              dir = "{_directory}/meta"
            [data]
              dir = "{_directory}/data"
              wal-dir = "{_directory}/wal"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:{_port}"
              log-enabled = false
            [monitor]
              store-enabled = false
            [continuous_queries]
              enabled = false
            """));
        await StartAsync();
    }

    public async Task StartAsync()
    {
        _process = ExternalProcess.Start("influxd", ["-config", Path.Combine(_directory, "influxdb.conf")]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri(Url, "ping"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"influxd did not start on {Url}:\n{_process.Output}");
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public Task DisposeAsync() => StopAsync();
}
