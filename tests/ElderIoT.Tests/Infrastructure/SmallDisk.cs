using System.Diagnostics;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>
/// A size-limited filesystem of the test's own (tmpfs, mounted as root), to fill to the last byte and to
/// make read-only. Fails loudly when it cannot be mounted: a fault test that silently skipped would
/// prove nothing.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private readonly string _filler;

    private SmallDisk(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler.bin");
    }

    public string Path { get; }

    public static SmallDisk Mount(int megabytes = 8)
    {
        var path = RepoPaths.TempDirectory("small-disk");
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        return new SmallDisk(path);
    }

    /// <summary>Writes a filler file until the disk refuses another byte.</summary>
    public void Fill()
    {
        var chunk = new byte[64 * 1024];
        using var filler = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                filler.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full: now byte by byte, so that not even a small write finds room.
        }

        try
        {
            while (true)
            {
                filler.Write(chunk.AsSpan(0, 1));
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Frees the space the filler held.</summary>
    public void Free() => File.Delete(_filler);

    /// <summary>
    /// Read-only, under a running node. Linux refuses this while any file on it is open for writing, so
    /// <paramref name="closeIdleFiles"/> is called before each try (SQLite's pool keeps idle connections
    /// open); a try that meets a file the node opened meanwhile is repeated.
    /// </summary>
    public void MakeReadOnly(Action closeIdleFiles)
    {
        for (var attempt = 1; ; attempt++)
        {
            closeIdleFiles();
            try
            {
                Run("mount", "-o", "remount,ro", Path);
                return;
            }
            catch (InvalidOperationException) when (attempt < 100)
            {
                Thread.Sleep(50);
            }
        }
    }

    public void MakeWritable() => Run("mount", "-o", "remount,rw", Path);

    public void Dispose() => Run("umount", "-l", Path);

    private static void Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}. Fault-injection tests need root to mount a tmpfs.");
        }
    }
}
