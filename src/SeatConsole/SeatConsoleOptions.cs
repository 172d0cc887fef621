using System.ComponentModel.DataAnnotations;

namespace ElderIoT.SeatConsole;

/// <summary>The dispatch console's settings (section <c>Console</c>).</summary>
public sealed class SeatConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>
    /// Map tiles as a URL template with {z}, {x} and {y}; empty for no tiles. Tiles are only a
    /// background: positions, track and zones are drawn by the console itself, so the map still
    /// works when the tile server cannot be reached (a centre's closed network).
    /// </summary>
    public string TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>The credit the tile server asks for, shown in the corner of the map.</summary>
    public string TileAttribution { get; set; } = "© OpenStreetMap contributors";

    /// <summary>The highest zoom level the tile server has.</summary>
    [Range(1, 22)]
    public int TileMaxZoom { get; set; } = 19;

    /// <summary>
    /// A folder to serve the console from instead of the files built into the node: for working on
    /// the console without rebuilding. Empty (the default) serves the built-in files.
    /// </summary>
    public string? AssetsDirectory { get; set; }
}
