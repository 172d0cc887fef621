namespace ElderIoT.Tests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The repository root: the folder above the tests that holds ElderIoT.slnx.</summary>
    public static string Root { get; } = FindRoot();

    public static string TempDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "elderiot-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ElderIoT.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ElderIoT.slnx not found above " + AppContext.BaseDirectory);
    }
}
