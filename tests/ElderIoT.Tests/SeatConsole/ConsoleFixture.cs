using ElderIoT.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ElderIoT.Tests.SeatConsole;

/// <summary>
/// A node of its own (texting through Twilio's OpenAPI mock, so contacts show a delivery status) and
/// Debian's Chromium driven headless by Playwright. The map's tile server is an address where nothing
/// listens: every test shows that positions, track and zones are drawn without tiles.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Debian's browser; the suite never downloads one (scripts/install-test-deps.sh installs it).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly PrismMock _twilio = new();
    private IPlaywright? _playwright;

    public TestNode Node { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => Node.Http.BaseAddress!.ToString().TrimEnd('/');

    /// <summary>
    /// Where screenshots go: CONSOLE_SCREENSHOTS (docs/images when refreshing the docs), else a
    /// folder of the test run.
    /// </summary>
    public string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS") is { Length: > 0 } folder
        ? Path.GetFullPath(folder, RepoPaths.Root)
        : RepoPaths.TempDirectory("console-screens");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run scripts/install-test-deps.sh (Debian's chromium package).");
        await _twilio.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Twilio:BaseUrl"] = _twilio.BaseUrl.ToString(),
            ["Twilio:AccountSid"] = PrismMock.AccountSid,
            ["Twilio:AuthToken"] = "test-token",
            ["Twilio:FromNumber"] = "+15005550006",
            ["Console:TileUrl"] = $"http://127.0.0.1:{FreePort.Next()}/{{z}}/{{x}}/{{y}}.png",
            // Call-backs fall due soon after a resolution, so that the list shows one overdue within a test.
            ["Callbacks:DueWithin"] = "00:00:15",
        };
        // While working on the console: serve its files from the source folder, no rebuild.
        if (Environment.GetEnvironmentVariable("CONSOLE_ASSETS") is { Length: > 0 } assets)
        {
            settings["Console:AssetsDirectory"] = Path.GetFullPath(assets, RepoPaths.Root);
        }

        Node = await TestNode.StartAsync(settings);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Tests run as root in containers, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        });
    }

    /// <summary>A fresh browser profile (its own session storage) at the console's address, in the given language.</summary>
    public async Task<IPage> OpenConsoleAsync(string language = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = language,
            TimezoneId = "Europe/London", // not the centre's: times must still read in Asia/Shanghai
        });
        // Only the first time: a switch of language made on the page must survive its reload.
        await context.AddInitScriptAsync($"if (!localStorage.getItem('elderiot.language')) localStorage.setItem('elderiot.language', '{language}')");
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync("/console/");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Node.DisposeAsync();
        await _twilio.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
