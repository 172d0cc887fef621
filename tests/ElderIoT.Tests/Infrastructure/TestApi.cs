using System.Net.Http.Json;

namespace ElderIoT.Tests.Infrastructure;

/// <summary>The API as one caller (a token), with the JSON helpers the suite uses.</summary>
public sealed class TestApi(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public async Task<T> PostAsync<T>(string path, object? body = null)
    {
        using var response = await Http.PostAsJsonAsync(path, body ?? new { }, TestNode.Json);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<T>(TestNode.Json))!;
    }

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Http.GetAsync(path);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<T>(TestNode.Json))!;
    }

    public void Dispose() => Http.Dispose();

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
