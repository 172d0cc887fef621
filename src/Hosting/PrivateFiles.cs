namespace ElderIoT.Hosting;

/// <summary>
/// The node's data (records, telemetry, its write-ahead log and spool) holds health data and home
/// positions: every folder it makes is 0700 and every file 0600, readable by the service user only,
/// whatever the process umask. On Windows the folder's inherited ACL applies instead.
/// </summary>
public static class PrivateFiles
{
    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates the folder (and missing parents) owner-only; an existing folder is narrowed to owner-only
    /// too, so a data folder made by an older version stops being readable by others at the next start.
    /// </summary>
    public static DirectoryInfo CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        var directory = Directory.CreateDirectory(path, DirectoryMode);
        if ((directory.UnixFileMode & ~DirectoryMode) != 0)
        {
            try
            {
                directory.UnixFileMode = DirectoryMode;
            }
            catch (Exception exception) when (IsRefused(exception))
            {
                // Best effort: see IsRefused.
            }
        }

        return directory;
    }

    /// <summary>Options to open a file with that, if it is created, is owner-only.</summary>
    public static FileStreamOptions Options(System.IO.FileMode mode, FileAccess access, FileShare share, int bufferSize)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows() && mode != System.IO.FileMode.Open && access != FileAccess.Read)
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>
    /// Makes sure a SQLite database file exists owner-only before SQLite opens it: SQLite creates its
    /// -wal, -shm and journal files with the database file's permissions, so they follow.
    /// </summary>
    public static void PrepareDatabaseFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (File.Exists(path))
        {
            if ((File.GetUnixFileMode(path) & ~FileMode) != 0)
            {
                try
                {
                    File.SetUnixFileMode(path, FileMode); // made world-readable by an older version
                }
                catch (Exception exception) when (IsRefused(exception))
                {
                    // Best effort: see IsRefused.
                }
            }

            return;
        }

        try
        {
            using var created = new FileStream(path, Options(System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Made by another store at the same moment (same mode), or the disk refuses: SQLite then says
            // so itself, in the words the node's storage checks already understand.
        }
    }

    /// <summary>
    /// Narrowing the mode of something that exists is best effort: on a read-only disk or a folder of
    /// another owner it fails, and the node's storage checks report what matters about that disk.
    /// </summary>
    private static bool IsRefused(Exception exception) => exception is IOException or UnauthorizedAccessException;
}
