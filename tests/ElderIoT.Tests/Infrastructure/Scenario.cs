using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Devices;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>Creates records through the REST API, as a dashboard or device-sim would.</summary>
internal static class Scenario
{
    public const string District = "南京市/鼓楼区/宁海路街道/颐和路社区";

    public static object ElderBody(string name = "王秀英", string district = District, int contacts = 2) => new
    {
        name,
        phone = "+8613900000001",
        address = "南京市鼓楼区颐和路12号",
        district,
        location = new { lat = 32.0603, lon = 118.7969 },
        birthDate = "1941-03-02",
        sex = "female",
        careLevel = "assisted",
        conditions = new[] { "高血压" },
        medications = new[] { "氨氯地平" },
        language = "zh-CN",
        contacts = Enumerable.Range(0, contacts).Select(i => new
        {
            name = i == 0 ? "李明" : $"Contact {i}",
            relation = i == 0 ? "儿子" : "daughter",
            phone = $"+861380000{Random.Shared.Next(1000, 9999)}{i}",
            language = i == 0 ? "zh-CN" : "en",
        }).ToArray(),
    };

    public static async Task<ElderResponse> CreateElderAsync(this TestNode node, string district = District, int contacts = 2) =>
        await node.PostAsync<ElderResponse>("/api/elders", ElderBody(district: district, contacts: contacts));

    public static async Task<DeviceRegistration> RegisterDeviceAsync(this TestNode node, Guid elderId, string kind = "watch") =>
        await node.PostAsync<DeviceRegistration>("/api/devices", new { id = $"w-{Guid.NewGuid():N}"[..20], kind, elderId });

    public static async Task<(ElderResponse Elder, DeviceRegistration Device)> ElderWithDeviceAsync(this TestNode node, string district = District, int contacts = 2)
    {
        var elder = await node.CreateElderAsync(district, contacts);
        return (elder, await node.RegisterDeviceAsync(elder.Id));
    }

    public static string SosJson(string eventId, string type = "sos") =>
        $$"""{"id":"{{eventId}}","type":"{{type}}","ts":"{{DateTimeOffset.UtcNow:O}}","lat":32.0604,"lon":118.7970,"acc":12}""";
}
