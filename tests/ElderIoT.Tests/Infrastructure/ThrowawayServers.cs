using System.Diagnostics;
using System.Net.Sockets;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of one test's own (initdb into a temp folder, a free port on 127.0.0.1), for
/// tests that stop and start it: the shared test server (scripts/test-servers.sh) serves every other
/// test and every worktree, and is never stopped.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;

    private ThrowawayPostgres(string bin, string dataDirectory, int port)
    {
        _bin = bin;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>The server, logged in as postgres (trust on loopback); a database of a test's own is made with <see cref="PostgresTestDatabase.CreateAsync"/>.</summary>
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Timeout=5";

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (scripts/install-test-deps.sh installs it)");
        var directory = RepoPaths.TempDirectory("pg");
        if (Environment.UserName == "root")
        {
            // PostgreSQL refuses to run as root: its folder belongs to the postgres user.
            await RunAsync("chown", "postgres:postgres", directory);
        }

        var server = new ThrowawayPostgres(bin, directory, FreePort.Next());
        await server.RunAsPostgresAsync("initdb", "-D", directory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        await server.StartServerAsync();
        return server;
    }

    public Task StartServerAsync() => RunAsPostgresAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-w", "-t", "120",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {DataDirectory} -c max_connections=200", "start");

    /// <summary>A fast shutdown: connections are cut, what was committed stays.</summary>
    public Task StopServerAsync() => RunAsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "-t", "120", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task RunAsPostgresAsync(string program, params string[] arguments) => Environment.UserName == "root"
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. arguments])
        : RunAsync(Path.Combine(_bin, program), arguments);

    internal static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}

/// <summary>A Redis server of one test's own on a free port, for tests that stop and start it.</summary>
public sealed class ThrowawayRedis : IAsyncDisposable
{
    private readonly string _directory;

    private ThrowawayRedis(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<ThrowawayRedis> StartAsync()
    {
        var redis = new ThrowawayRedis(RepoPaths.TempDirectory("redis"), FreePort.Next());
        await redis.StartServerAsync();
        return redis;
    }

    public async Task StartServerAsync()
    {
        await ThrowawayPostgres.RunAsync("redis-server", "--bind", "127.0.0.1", "--port", Port.ToString(), "--dir", _directory, "--daemonize", "yes",
            "--pidfile", Path.Combine(_directory, "redis.pid"), "--logfile", Path.Combine(_directory, "redis.log"), "--save", "", "--appendonly", "no");
        // Daemonized, it returns before it listens.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Ends the server this test started, by the process id it wrote, and waits until it is gone.</summary>
    public async Task StopServerAsync()
    {
        var pidFile = Path.Combine(_directory, "redis.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        using var server = Process.GetProcessById(int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture));
        server.Kill();
        await server.WaitForExitAsync();
        File.Delete(pidFile);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }
}
