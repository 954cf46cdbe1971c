using System.Net;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql.Demo;
using Archiver.Purge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.IntegrationTests.Web;

/// <summary>
/// The web host on a test's own databases: a contest of <see cref="ContestEntries"/> entries over
/// a few hours whose messages are hostile text, a live contest sharing its users, and a vote.
/// <see cref="ArchiveAndPurgeAsync"/> archives the two completed campaigns, deploys the views and
/// purges their MySQL rows, so that only the archive can answer. Requests carry a loopback remote
/// address unless they send <c>X-Test-Remote</c> (TestServer has no connection of its own).
/// </summary>
public sealed class WebSite : IAsyncDisposable
{
    public const int ContestEntries = 230;

    /// <summary>Hostile text: markup, quotes, emoji, right-to-left, a formula.</summary>
    public static readonly string[] Messages =
    [
        "<script>alert('x')</script>", "\"quoted\" & 'single'", "emoji 🎉👍🏽", "שלום עולם", "مرحبا <b>bold</b>", "=HYPERLINK(\"http://x\")", "plain",
    ];

    public static readonly string[] Choices = ["Yes", "<i>no</i>", "🍕", "עברית"];

    public static readonly DateTime Start = new(2026, 11, 1, 9, 20, 0, DateTimeKind.Utc);

    private WebSite(TestDatabases db, long contest, long live, long vote, bool kestrel)
    {
        Db = db;
        Contest = contest;
        Live = live;
        Vote = vote;
        Factory = new WebApplicationFactory<Archiver.Web.Program>().WithWebHostBuilder(builder =>
        {
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(Settings(db)));
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, RemoteAddressFilter>());
        });
        if (kestrel)
        {
            Factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            Factory.StartServer();
        }
    }

    public TestDatabases Db { get; }

    public long Contest { get; }

    public long Live { get; }

    public long Vote { get; }

    public WebApplicationFactory<Archiver.Web.Program> Factory { get; }

    /// <summary>The entries of the completed contest, as seeded.</summary>
    public static IEnumerable<(int Number, long User, bool Winner, string Message, DateTime CreatedAt)> ContestRows() =>
        Enumerable.Range(1, ContestEntries).Select(i => (i, 500L + (i % 4), i % 23 == 0, Messages[i % Messages.Length] + $" #{i}", Start.AddSeconds(i * 77)));

    public static async Task<WebSite> CreateAsync(bool kestrel = false)
    {
        var db = await TestDatabases.CreateAsync();
        var contest = await db.AddCampaignAsync(TimeSpan.FromDays(3), name: "Summer <script>alert(1)</script> \"Sweeps\" 🎉");
        var vote = await db.AddCampaignAsync(TimeSpan.FromDays(3), kind: "vote", name: "Best pizza 🍕 — הצבעה");
        var live = await db.AddCampaignAsync(TimeSpan.FromDays(-1), name: "Live contest");
        var rows = ContestRows().Select(r => new EntryRow
        {
            CampaignId = contest, UserId = r.User, EntryNumber = r.Number, Winner = r.Winner, Message = r.Message, CreatedAt = r.CreatedAt,
        }).ToList();
        rows.AddRange(Enumerable.Range(1, 12).Select(i => new EntryRow
        {
            CampaignId = live, UserId = 500 + (i % 4), EntryNumber = i, Message = $"live {i}", CreatedAt = Start.AddDays(2).AddMinutes(i),
        }));
        await db.AddEntriesAsync(rows);
        var votes = Enumerable.Range(1, 90).Select(i => new VoteRow
        {
            CampaignId = vote, UserId = 700 + (i % 5), Choice = Choices[(i * i) % Choices.Length], CreatedAt = Start.AddMinutes(i * 3),
        }).ToList();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await RowInserter.InsertVotesAsync(connection, votes);
        }

        return new WebSite(db, contest, live, vote, kestrel);
    }

    /// <summary>The site's address on Kestrel (created with kestrel: true).</summary>
    public Uri Address => new(Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public HttpClient Client() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Archives both completed campaigns, deploys the views, and purges their MySQL rows.</summary>
    public async Task ArchiveAndPurgeAsync()
    {
        await ArchiveAsync();
        await PurgeAsync();
    }

    /// <summary>Archives both completed campaigns and deploys the views; their MySQL rows stay.</summary>
    public async Task ArchiveAsync()
    {
        var run = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.True(run.Succeeded, string.Join("; ", run.Campaigns.Select(c => c.Reason)));
        Assert.Equal(2, run.Archived);
        await Db.DeployViewsAsync();
    }

    /// <summary>Purges the archived campaigns' MySQL rows: from here on only the archive holds them.</summary>
    public async Task PurgeAsync()
    {
        var purge = await Db.Purge().RunAsync(new PurgeRequest());
        Assert.Equal(2, purge.Purged);
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM contest_campaign_entries WHERE campaign_id = @c", new { c = Contest }));
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();

        // The host set Hangfire's process-wide log provider to its logger factory, now disposed.
        global::Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        await Db.DisposeAsync();
    }

    private static Dictionary<string, string?> Settings(TestDatabases db)
    {
        var settings = db.CliEnvironment().ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value);
        settings["Views:Directory"] = Repository.File("views");
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Web:Dashboard:Username"] = "operator";
        settings["Web:Dashboard:Password"] = "correct horse battery";
        return settings;
    }

    /// <summary>Gives every in-memory request a loopback remote address, or the one in <c>X-Test-Remote</c>.</summary>
    private sealed class RemoteAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue("X-Test-Remote", out var remote))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(remote.ToString());
                }
                else
                {
                    context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
