namespace ElderIoT.Tests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The repository root: the folder above the tests that holds ElderIoT.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// A vendor's OpenAPI document, kept in the repository under tests/specs with its licence, so the
    /// suite runs from a plain clone with nothing beside it.
    /// </summary>
    public static string VendorSpec(string vendor, string file)
    {
        var path = Path.Combine(Root, "tests", "specs", vendor, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Vendor OpenAPI document missing from the repository: {path}", path);
    }

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
            if (File.Exists(Path.Combine(dir.FullName, "ElderIoT.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ElderIoT.sln not found above " + AppContext.BaseDirectory);
    }
}
