using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;

namespace ElderIoT.SeatConsole;

/// <summary>
/// The console's files: embedded in this assembly (looked up by name, so no path from a request ever
/// reaches the file system), or read from <see cref="SeatConsoleOptions.AssetsDirectory"/> while
/// someone works on them.
/// </summary>
internal sealed class ConsoleAssets(IOptions<SeatConsoleOptions> options)
{
    private const string Prefix = "console/";
    private static readonly Assembly Assembly = typeof(ConsoleAssets).Assembly;
    private static readonly HashSet<string> Embedded = [.. Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..].Replace('\\', '/'))];

    private readonly FileExtensionContentTypeProvider _types = new();

    /// <summary>The names of the files served, relative to /console/.</summary>
    public static IReadOnlyCollection<string> Names => Embedded;

    /// <summary>Opens a file by its path under /console/, or null when there is none.</summary>
    public (Stream Content, string ContentType)? Open(string path)
    {
        if (path.Length == 0)
        {
            path = "index.html";
        }

        if (!_types.TryGetContentType(path, out var contentType))
        {
            return null;
        }

        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal))
        {
            contentType += "; charset=utf-8";
        }

        if (options.Value.AssetsDirectory is { Length: > 0 } folder)
        {
            var root = Path.GetFullPath(folder);
            var full = Path.GetFullPath(Path.Combine(root, path));
            return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full)
                ? (File.OpenRead(full), contentType)
                : null;
        }

        return Embedded.Contains(path) && Assembly.GetManifestResourceStream(Prefix + path) is { } stream
            ? (stream, contentType)
            : null;
    }
}
