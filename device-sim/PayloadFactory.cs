using System.Globalization;
using System.Text.Json;

namespace ElderIoT.DeviceSim;

/// <summary>
/// Makes the simulated world: elders with plausible Nanjing records, and their devices' readings.
/// Every choice comes from a <see cref="Random"/> seeded per elder, so the same seed gives the same run.
/// </summary>
internal static class PayloadFactory
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "朱", "马", "胡"];
    private static readonly string[] GivenNames = ["秀英", "桂兰", "玉兰", "淑珍", "建国", "志明", "德华", "国强", "凤英", "文华", "长顺", "金凤"];
    private static readonly string[] Streets = ["宁海路街道/颐和路社区", "湖南路街道/高云岭社区", "华侨路街道/虎踞北路社区", "中央门街道/福建路社区", "江东街道/龙园社区"];
    private static readonly string[] Relations = ["儿子", "女儿", "侄子", "邻居"];

    public static Random RandomFor(int seed, int elderIndex) => new(HashCode.Combine(seed, elderIndex) & int.MaxValue);

    public static SimElder Elder(int seed, int index, string districtPrefix)
    {
        var random = RandomFor(seed, index);
        var name = Pick(random, Surnames) + Pick(random, GivenNames);
        var street = Pick(random, Streets);
        var home = (Lat: 32.06 + random.NextDouble() * 0.04 - 0.02, Lon: 118.78 + random.NextDouble() * 0.04 - 0.02);
        var contacts = Enumerable.Range(0, 1 + random.Next(2)).Select(c => new
        {
            name = Pick(random, Surnames) + Pick(random, GivenNames),
            relation = Pick(random, Relations),
            phone = $"+86139{random.Next(10_000_000, 99_999_999)}",
            language = "zh-CN",
        }).ToArray();
        var body = new
        {
            name,
            phone = $"+86138{random.Next(10_000_000, 99_999_999)}",
            address = $"{districtPrefix.Replace("/", "")}{street.Split('/')[0]}{random.Next(1, 200)}号",
            district = $"{districtPrefix}/{street}",
            location = new { lat = Math.Round(home.Lat, 6), lon = Math.Round(home.Lon, 6) },
            birthDate = new DateOnly(1930 + random.Next(25), 1 + random.Next(12), 1 + random.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            sex = random.Next(2) == 0 ? "female" : "male",
            careLevel = Pick(random, ["self_care", "assisted", "nursing"]),
            conditions = random.Next(3) == 0 ? new[] { "高血压" } : [],
            medications = Array.Empty<string>(),
            language = "zh-CN",
            contacts,
        };
        return new SimElder(index, name, home.Lat, home.Lon, body);
    }

    /// <summary>A reading as protocol v1 JSON.</summary>
    public static string Reading(SimReading r, DateTimeOffset now) => JsonSerializer.Serialize(new
    {
        ts = now.ToUnixTimeMilliseconds(),
        lat = Math.Round(r.Lat, 6),
        lon = Math.Round(r.Lon, 6),
        acc = r.Accuracy,
        hr = r.HeartRate,
        spo2 = r.SpO2,
        steps = r.Steps,
        battery = r.Battery,
        worn = r.Worn,
    });

    public static string Event(string id, string type, double lat, double lon, DateTimeOffset at) =>
        JsonSerializer.Serialize(new { id, type, ts = at.ToUnixTimeMilliseconds(), lat = Math.Round(lat, 6), lon = Math.Round(lon, 6), acc = 15 });

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}

/// <summary>An elder to register: the REST body and where they live.</summary>
internal sealed record SimElder(int Index, string Name, double HomeLat, double HomeLon, object Body);
