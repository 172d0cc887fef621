namespace ElderIoT.Hosting;

/// <summary>
/// Whether a folder can take a durable write now: a small file is written, fsync'd and deleted.
/// Asking the database is not enough: a full or read-only disk still answers reads.
/// </summary>
public static class StorageProbe
{
    private const int ProbeBytes = 4096; // one page: a disk full to the last byte refuses it

    /// <summary>Null when the folder took the write, else what went wrong.</summary>
    public static async Task<string?> TryWriteAsync(string directory, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(directory, $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            PrivateFiles.CreateDirectory(directory);
            await using (var stream = new FileStream(path, PrivateFiles.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0)))
            {
                await stream.WriteAsync(new byte[ProbeBytes], cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return exception.Message;
        }
        finally
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Read-only: nothing was created, or it is left for the next start to find; harmless.
            }
        }
    }
}
