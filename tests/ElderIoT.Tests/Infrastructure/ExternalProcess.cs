using System.Diagnostics;
using System.Text;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>Runs a real program (mosquitto_pub, the Silo executable) and keeps what it printed.</summary>
internal sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL, as a crash or the OOM killer would: nothing of the process runs after it.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>The operating system's process id (to send it a signal).</summary>
    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for the process to end; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit(); // flushes the asynchronous output readers
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>What the program printed once it ended by itself; fails the test when it has not within <paramref name="within"/>.</summary>
    public async Task<string> OutputWhenExitedAsync(TimeSpan within) =>
        await WaitForExitAsync(within)
            ? Output
            : throw new Xunit.Sdk.XunitException($"{_process.StartInfo.FileName} still running after {within}; it printed: {Output}");

    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(RequireTool(fileName))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new ExternalProcess(Process.Start(info)!);
    }

    /// <summary>Runs to completion and returns the exit code and everything printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        await using var process = Start(fileName, arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process._process.WaitForExitAsync(timeout.Token);
        process._process.WaitForExit(); // flushes the asynchronous output readers
        return (process._process.ExitCode, process.Output);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string RequireTool(string fileName)
    {
        if (Path.IsPathRooted(fileName) || fileName == "dotnet")
        {
            return fileName;
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, fileName)).FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException($"'{fileName}' is not installed; run scripts/test.sh, which installs what the tests need.");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
