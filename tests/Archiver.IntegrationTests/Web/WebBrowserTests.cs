using Archiver.IntegrationTests.Infrastructure;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace Archiver.IntegrationTests.Web;

/// <summary>
/// The pages in a real headless Chromium (Debian's, at /usr/bin/chromium; nothing is downloaded):
/// campaigns → a campaign → page 2 → the last page → the chart's bars → another granularity → a
/// user. The same walk while the campaign is live, once it is archived, and once its MySQL rows are
/// purged must read the same text (only the state badges differ). Screenshots go to .local/screenshots.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class WebBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private WebSite? _site;
    private IBrowser? _browser;

    private WebSite Site => _site ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run ./scripts/services.sh browser (apt-get install chromium)");
        _site = await WebSite.CreateAsync(kestrel: true);
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions"],
            Timeout = 30_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }

        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_walk_reads_the_same_live_archived_and_purged()
    {
        var live = await WalkAsync("live");
        await Site.ArchiveAsync();
        var archived = await WalkAsync("archived");
        await Site.PurgeAsync();
        var purged = await WalkAsync("purged");

        Assert.Equal(live.Select(s => s.Step), archived.Select(s => s.Step));
        for (var i = 0; i < live.Count; i++)
        {
            Assert.Equal(live[i].Text, archived[i].Text);
            Assert.Equal(live[i].Text, purged[i].Text);
        }

        output.WriteLine($"{live.Count} steps read the same live, archived and purged; screenshots in {Screenshots}");
    }

    private static string Screenshots => Repository.File(".local/screenshots");

    private async Task<List<(string Step, string Text)>> WalkAsync(string phase)
    {
        Directory.CreateDirectory(Screenshots);
        await using var page = await _browser!.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        var errors = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                errors.Add(e.Message.Text + " " + e.Message.Location?.URL);
            }
        };
        var steps = new List<(string, string)>();

        async Task Capture(string step)
        {
            await page.ScreenshotAsync(Path.Combine(Screenshots, $"{phase}-{steps.Count + 1}-{step}.png"), new ScreenshotOptions { FullPage = true });
            steps.Add((step, new Uri(page.Url).PathAndQuery + "\n" + await MainTextAsync(page)));
        }

        async Task Click(string selector)
        {
            await Task.WhenAll(page.WaitForNavigationAsync(new NavigationOptions { Timeout = 15_000 }), page.ClickAsync(selector));
        }

        await page.GoToAsync(new Uri(Site.Address, "/campaigns").ToString(), new NavigationOptions { Timeout = 15_000 });
        Assert.Equal("Campaigns · Archiver", await page.GetTitleAsync());
        await Capture("campaigns");

        await Click($"table.campaigns a[href='/campaigns/{Site.Contest}']");
        Assert.Equal("Summer <script>alert(1)</script> \"Sweeps\" 🎉", await page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent"));
        var hours = WebSite.ContestRows().Select(r => r.CreatedAt.Date.AddHours(r.CreatedAt.Hour)).Distinct().Count();
        Assert.Equal(hours, await CountAsync(page, "#chart svg g.bar"));
        await Capture("campaign");

        await Click(".pagination a[rel=next]");
        Assert.Equal("2", await CurrentPageAsync(page));
        Assert.Equal(50, await CountAsync(page, "table.entries tbody tr"));
        await Capture("page-2");

        await Click(".pagination a.last");
        var pages = (WebSite.ContestEntries + 49) / 50;
        Assert.Equal(pages.ToString(), await CurrentPageAsync(page));
        Assert.Equal(WebSite.ContestEntries - ((pages - 1) * 50), await CountAsync(page, "table.entries tbody tr"));
        await Capture("last-page");

        await Click(".granularities a[href*='granularity=minute']");
        var minutes = WebSite.ContestRows().Select(r => r.CreatedAt.Date.AddMinutes((int)r.CreatedAt.TimeOfDay.TotalMinutes)).Distinct().Count();
        Assert.Equal(minutes, await CountAsync(page, "#chart svg g.bar"));
        Assert.Equal(pages.ToString(), await CurrentPageAsync(page));
        await Capture("minutes");

        await Click("table.entries a[href^='/users/']");
        Assert.StartsWith("User 50", await page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent"), StringComparison.Ordinal);
        await Capture("user");

        await page.GoToAsync(new Uri(Site.Address, $"/campaigns/{Site.Vote}").ToString(), new NavigationOptions { Timeout = 15_000 });
        Assert.Equal(WebSite.Choices.Count(Voted), await CountAsync(page, "table.choices tbody tr"));
        Assert.Equal(WebSite.Choices.Count(Voted), await CountAsync(page, "#chart svg g.series"));
        await Capture("vote");

        // No script runs on these pages, so none can fail; the CSP must not have refused anything either.
        Assert.Empty(errors);
        return steps;
    }

    private static bool Voted(string choice) => Enumerable.Range(1, 90).Any(i => WebSite.Choices[(i * i) % WebSite.Choices.Length] == choice);

    private static Task<int> CountAsync(IPage page, string selector) =>
        page.EvaluateFunctionAsync<int>("s => document.querySelectorAll(s).length", selector);

    private static Task<string> CurrentPageAsync(IPage page) =>
        page.EvaluateExpressionAsync<string>("document.querySelector('#entries .pagination em.current').textContent");

    /// <summary>The page's text without what says where the campaign stands (its state, when it was archived).</summary>
    private static Task<string> MainTextAsync(IPage page) => page.EvaluateExpressionAsync<string>(
        "(() => { const m = document.querySelector('main').cloneNode(true); m.querySelectorAll('dl.facts, .state, .archived-at').forEach(e => e.remove()); return m.innerText; })()");
}
