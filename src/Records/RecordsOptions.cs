namespace ElderIoT.Records;

/// <summary>Where the records live (section <c>Storage</c>).</summary>
public sealed class RecordsOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder for embedded data (the SQLite file). Relative paths are under the working directory.</summary>
    public string DataDirectory { get; set; } = "data";
}
