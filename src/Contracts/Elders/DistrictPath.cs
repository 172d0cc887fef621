namespace ElderIoT.Contracts.Elders;

/// <summary>
/// A territory path <c>city/district/street/community</c>. A seat's prefix covers a district when it
/// matches whole segments: <c>南京市/鼓楼区</c> covers <c>南京市/鼓楼区/宁海路街道</c>, <c>南京市/鼓楼</c> does not.
/// </summary>
public static class DistrictPath
{
    /// <summary>Trims blanks around segments and drops empty ones, so that "南京市 / 鼓楼区/" is "南京市/鼓楼区".</summary>
    public static string Normalize(string path) =>
        string.Join('/', path.Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    public static bool Covers(string prefix, string district)
    {
        var p = Normalize(prefix);
        var d = Normalize(district);
        return p.Length > 0 && (d == p || d.StartsWith(p + "/", StringComparison.Ordinal));
    }
}
