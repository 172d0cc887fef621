using System.Net.Http.Json;
using ElderIoT.Api.Alarms;
using ElderIoT.Api.Elders;
using ElderIoT.Contracts.Devices;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.EndToEnd;

/// <summary>The built host executable, driven by Debian's mosquitto_pub: nothing of ours on the device side.</summary>
[Collection(NodeCollection.Name)]
public sealed class SiloProcessTests
{
    // The README's first command as it is: no key, no password configured. The admin signs in with
    // the password the first run printed, and the API answers nobody without a token.
    [Fact]
    public async Task MosquittoPubRaisesAnAlarmOnTheRealHostAndAWrongPasswordIsRefused()
    {
        await using var host = await NodeProcess.StartAsReadmeSaysAsync(RepoPaths.TempDirectory("silo-process"));
        var http = host.Http;
        var mqttPort = host.MqttPort;
        Assert.Contains("ElderIoT node ready", host.Output);
        using (var anonymous = await http.GetAsync("/api/elders"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var password = System.Text.RegularExpressions.Regex.Match(host.Output, "created user 'admin' with password (\\S+)").Groups[1].Value;
        using (var signIn = await http.PostAsJsonAsync("/api/auth/token", new { userName = "admin", password }, TestNode.Json))
        {
            Assert.True(signIn.IsSuccessStatusCode, host.Output);
            http.WithToken((await signIn.Content.ReadFromJsonAsync<Api.Access.TokenResponse>(TestNode.Json))!.AccessToken);
        }

        var elder = await (await http.PostAsJsonAsync("/api/elders", Scenario.ElderBody(), TestNode.Json)).Content.ReadFromJsonAsync<ElderResponse>(TestNode.Json);
        var device = await (await http.PostAsJsonAsync("/api/devices", new { id = "handset-1", kind = "handset", elderId = elder!.Id }, TestNode.Json))
            .Content.ReadFromJsonAsync<DeviceRegistration>(TestNode.Json);

        var sos = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", mqttPort.ToString(), "-V", "mqttv5", "-q", "1",
            "-i", device!.Id, "-u", device.Id, "-P", device.Secret, "-t", $"devices/{device.Id}/events", "-m", Scenario.SosJson("mosquitto-1"));
        var refused = await ExternalProcess.RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", mqttPort.ToString(), "-V", "mqttv311", "-q", "1",
            "-i", device.Id, "-u", device.Id, "-P", "wrong", "-t", $"devices/{device.Id}/events", "-m", Scenario.SosJson("mosquitto-2"));

        Assert.True(sos.ExitCode == 0, sos.Output);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Connection Refused: bad user name or password", refused.Output, StringComparison.OrdinalIgnoreCase);
        var alarms = await http.GetFromJsonAsync<List<AlarmListItem>>($"/api/alarms?elderId={elder.Id}", TestNode.Json);
        Assert.Equal("handset-1", Assert.Single(alarms!).Alarm.DeviceId);
    }
}
