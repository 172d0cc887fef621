using System.Net;
using ElderIoT.Api.Centre;
using ElderIoT.Contracts.Seats;
using ElderIoT.SeatConsole;
using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.SeatConsole;

/// <summary>How the node serves the console, and the two API resources the console needed that a third party's dashboard needs too.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleServingTests(ConsoleFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData("/")]
    [InlineData("/console")]
    public async Task ThePlacesANewUserTriesLeadToTheConsole(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Node.Http.BaseAddress };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ThePageIsServedByTheNodeWithAPolicyThatAllowsScriptsOnlyFromItselfAndPicturesFromTheTileServer()
    {
        using var page = await Node.Http.GetAsync("/console/");
        using var script = await Node.Http.GetAsync("/console/js/main.js");
        var config = await Node.GetAsync<Dictionary<string, object>>("/console/config.json");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("js/main.js", await page.Content.ReadAsStringAsync());
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("img-src 'self' data: http://127.0.0.1:", policy);
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("http://127.0.0.1:", config["tileUrl"].ToString());
    }

    [Theory]
    [InlineData("/console/no-such-file.js")]
    [InlineData("/console/../appsettings.json")]
    [InlineData("/console/%2e%2e/appsettings.json")]
    [InlineData("/console/..%2fappsettings.json")]
    [InlineData("/console/js/..%2f..%2f..%2fElderIoT.Silo.dll")]
    [InlineData("/console/index")]
    public async Task APathOutsideTheConsolesOwnFilesIsNotFound(string path)
    {
        using var response = await Node.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AFolderOfConsoleFilesServesNothingOutsideIt()
    {
        var folder = RepoPaths.TempDirectory("console-assets");
        await File.WriteAllTextAsync(Path.Combine(folder, "index.html"), "<!doctype html><title>dev</title>");
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(folder)!, "secret.json"), "{}");
        var assets = new ConsoleAssets(Microsoft.Extensions.Options.Options.Create(new SeatConsoleOptions { AssetsDirectory = folder }));

        Assert.NotNull(assets.Open(""));
        Assert.Null(assets.Open("../secret.json"));
        Assert.Null(assets.Open("/etc/passwd.json"));
    }

    [Theory]
    [InlineData("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org")]
    [InlineData("https://{s}.tile.example.cn:8443/{z}/{x}/{y}.png", "https://*.tile.example.cn:8443")]
    [InlineData("https://tile.example.cn/{z}/{x}.png", null)]
    [InlineData("javascript:alert(1)//{z}/{x}/{y}", null)]
    [InlineData("", null)]
    public void OnlyAnHttpTileTemplateWithZXAndYIsAccepted(string template, string? source)
    {
        Assert.Equal(source, SeatConsoleEndpoints.TileSource(template));
    }

    [Fact]
    public async Task ANodeWithAnUnusableTileTemplateRefusesToStart()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestNode.StartAsync(new Dictionary<string, string?> { ["Console:TileUrl"] = "ftp://tiles/{z}" }));

        Assert.Contains("Console:TileUrl", failure.ToString());
    }

    [Fact]
    public async Task TheCentreTellsItsTimeZoneAndTheSeatsListShowsWhoIsThere()
    {
        var centre = await Node.GetAsync<CentreResponse>("/api/centre");
        var seat = $"seat-l-{Guid.NewGuid():N}"[..16];
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/online", new { districts = new[] { "南京市/建邺区" } });
        var absent = await Node.GetAsync<List<SeatStatus>>("/api/seats");
        await using var screen = await SeatStreamReader.OpenAsync(Node.Http, seat);
        var present = await TestNode.EventuallyAsync(() => Node.GetAsync<List<SeatStatus>>("/api/seats"), l => l.Any(s => s.Id == seat), "the seat listed");
        await Node.PostAsync<SeatStatus>($"/api/seats/{seat}/offline", new { });

        Assert.Equal("Asia/Shanghai", centre.TimeZone);
        Assert.Equal(480, centre.UtcOffsetMinutes);
        Assert.Equal("zh-CN", centre.Language);
        Assert.DoesNotContain(absent, s => s.Id == seat); // on duty without a screen is not there
        var listed = Assert.Single(present, s => s.Id == seat);
        Assert.Equal(SeatPresence.Watching, listed.Presence);
        Assert.Equal(["南京市/建邺区"], listed.Districts);
    }
}
