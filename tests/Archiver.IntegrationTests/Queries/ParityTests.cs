using System.Text.Encodings.Web;
using System.Text.Json;
using Archiver.CouchDb.Queries;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql.Demo;
using Archiver.MySql.Queries;
using Archiver.Purge;
using Archiver.Queries;
using Xunit.Abstractions;

namespace Archiver.IntegrationTests.Queries;

/// <summary>
/// The parity suite: every query of the read API, over a sweep of parameters, is answered once
/// while the campaigns are live (MySQL) and again after they were archived, their views deployed
/// and their MySQL rows purged (so only the archive can answer), and the two answers, serialised,
/// must be identical byte for byte. One campaign stays live throughout, so a user's entries are
/// merged across both stores in the second pass. Prints <c>N queries, N identical</c>.
/// </summary>
public sealed class ParityTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly int[] PerPages = [1, 7, 50, 100];
    private static readonly DateTime Start = new(2026, 11, 1, 22, 58, 30, DateTimeKind.Utc);
    private static readonly string[] Messages = ["Grüße 👋🏽", "日本語のメッセージ", "e\u0301 (combining)", "  spaces  ", "", "quote \" and \\ backslash", "עברית", "🍕🍕🍕"];
    // Distinct byte strings that some collation merges: case, a trailing space, and canonically equivalent
    // spellings (é as U+00E9 and as e + U+0301; Ü as U+00DC and U + U+0308), which CouchDB's ICU keys equal.
    private static readonly string[] Choices = ["Yes", "yes", "Yes ", "Hawaii 🍍", "Quattro Formaggi", "Ünïcödé", "\u00e9", "e\u0301", "\u00dc", "U\u0308"];

    private TestDatabases? _db;
    private long _big, _small, _empty, _live, _vote;

    private TestDatabases Db => _db ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        _db = await TestDatabases.CreateAsync();
        _big = await Db.AddCompletedCampaignAsync();
        _small = await Db.AddCompletedCampaignAsync();
        _empty = await Db.AddCompletedCampaignAsync();
        _vote = await Db.AddCompletedCampaignAsync("vote");
        _live = await Db.AddCampaignAsync(TimeSpan.FromDays(-1));

        var rows = new List<EntryRow>();
        void Add(long campaign, int count, int seed)
        {
            for (var i = 1; i <= count; i++)
            {
                var n = (i * 7_919L) + seed;
                rows.Add(new EntryRow
                {
                    CampaignId = campaign,
                    UserId = i % 13 == 0 ? null : 300 + (n % 6),
                    EntryNumber = i,
                    Winner = n % 9 == 0,
                    Message = i % 11 == 0 ? null : Messages[n % Messages.Length] + $" #{i}",

                    // Pseudo-random times over two days, with ties: every fifth entry shares the
                    // millisecond of the one before it, and some fall on exact minute, hour and day starts.
                    CreatedAt = i % 5 == 0 && rows.Count > 0 ? rows[^1].CreatedAt
                        : i % 17 == 0 ? Start.Date.AddHours(n % 48)
                        : Start.AddMilliseconds(n * 104_729 % (2L * 86_400_000)),
                });
            }
        }

        Add(_big, 1_000, 1);
        Add(_small, 37, 2);
        Add(_live, 120, 3);

        // The same user in three campaigns at the same millisecond: ties across stores.
        var tie = Start.AddMinutes(90);
        rows.Add(new EntryRow { CampaignId = _big, UserId = 300, EntryNumber = 9_001, Message = "tie", CreatedAt = tie });
        rows.Add(new EntryRow { CampaignId = _small, UserId = 300, EntryNumber = 9_002, Winner = true, CreatedAt = tie });
        rows.Add(new EntryRow { CampaignId = _live, UserId = 300, EntryNumber = 9_003, CreatedAt = tie });
        await Db.AddEntriesAsync(rows);

        var votes = Enumerable.Range(1, 600).Select(i => new VoteRow
        {
            CampaignId = _vote,
            UserId = i % 7 == 0 ? null : 300 + (i % 6),
            // Uneven counts, and every choice used (squares modulo the count would skip some).
            Choice = Choices[(i * 7 + i / 11) % Choices.Length],
            CreatedAt = i % 4 == 0 ? Start.Date.AddHours(i % 30) : Start.AddMilliseconds(i * 3_001_003L % (2L * 86_400_000)),
        }).ToList();
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await RowInserter.InsertVotesAsync(connection, votes);
    }

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_query_answers_the_same_before_and_after_its_campaign_is_archived()
    {
        var live = await CaptureAsync(Queries(), null);
        // Only the deliberately bad requests fail; they must fail the same way from both stores.
        string[] bad = ["page 0", "per_page 1001", "malformed token", "unknown campaign"];
        Assert.Equal(bad, live.Where(q => q.Answer.StartsWith("error", StringComparison.Ordinal)).Select(q => q.Name));

        // Tokens taken from live pages, to be used once the campaigns are archived.
        var liveTokens = await TokensAsync(Queries());

        var run = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.True(run.Succeeded);
        Assert.Equal(4, run.Campaigns.Count);
        await Db.DeployViewsAsync();

        // Purge: from here on, only the archive holds the archived campaigns' rows.
        var purge = await Db.Purge().RunAsync(new PurgeRequest());
        // The empty contest has no rows to purge; the other three are purged whole.
        Assert.Equal((3, 0, 0), (purge.Purged, purge.Failed, purge.Blocked));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM contest_campaign_entries WHERE campaign_id <> @live", new { live = _live }));

        var archived = await CaptureAsync(Queries(), liveTokens);

        Assert.Equal(live.Count, archived.Count);
        var differing = live.Zip(archived).Where(p => p.First.Answer != p.Second.Answer).Select(p => p.First.Name + "\n  live:     " + Cut(p.First.Answer) + "\n  archived: " + Cut(p.Second.Answer)).ToList();
        var summary = $"{live.Count} queries, {live.Count - differing.Count} identical";
        output.WriteLine(summary);
        Console.WriteLine($"[parity] {summary}");

        // scripts/test.sh prints this file's line beside its own summary (test output is not shown for passing tests).
        var report = Path.Combine(Environment.GetEnvironmentVariable("ARCHIVER_LOCAL") ?? Repository.File(".local"), "parity-summary.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        await File.WriteAllTextAsync(report, $"parity suite: {summary}\n");
        Assert.True(differing.Count == 0, summary + "\n" + string.Join("\n", differing.Take(10)));
        Assert.True(live.Count > 300, $"only {live.Count} queries");
    }

    private static string Cut(string text) => text.Length > 400 ? text[..400] + "…" : text;

    private CampaignQueries Queries()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new QueryOptions { PageIndexStride = 7 });
        return new CampaignQueries(
            new MySqlCampaignStore(Db.DataSource, options),
            new CouchCampaignStore(Db.Couch, Microsoft.Extensions.Options.Options.Create(Db.Options()), options),
            options);
    }

    private async Task<Dictionary<string, string>> TokensAsync(CampaignQueries queries)
    {
        var tokens = new Dictionary<string, string>();
        foreach (var perPage in PerPages)
        {
            tokens[$"entries {perPage}"] = (await queries.EntriesAsync(_big, PageRequest.Number(2, perPage))).NextToken!;
            tokens[$"non-winners {perPage}"] = (await queries.NonWinnersAsync(_big, PageRequest.Number(1, perPage))).NextToken!;
            tokens[$"user {perPage}"] = (await queries.UserEntriesAsync(300, PageRequest.Number(1, perPage))).NextToken!;
        }

        return tokens;
    }

    /// <summary>Every query of the sweep, named, with its answer serialised (or the error it raised).</summary>
    private async Task<List<(string Name, string Answer)>> CaptureAsync(CampaignQueries queries, Dictionary<string, string>? liveTokens)
    {
        var answers = new List<(string Name, string Answer)>();
        async Task Ask<T>(string name, Func<Task<T>> query)
        {
            string answer;
            try
            {
                answer = JsonSerializer.Serialize(await query(), Json);
            }
            catch (Exception ex) when (ex is ArgumentException or ArchiverException)
            {
                answer = $"error {ex.GetType().Name}: {ex.Message}";
            }

            answers.Add((name, answer));
        }

        var entryCounts = new Dictionary<long, long>();
        foreach (var campaign in new[] { _big, _small, _empty, _vote })
        {
            await Ask($"count {campaign}", () => queries.EntryCountAsync(campaign));
            entryCounts[campaign] = await queries.EntryCountAsync(campaign);
            await Ask($"winners {campaign}", () => queries.WinnersAsync(campaign));
            await Ask($"each {campaign} by 7", async () => await queries.PaginatedEachAsync(campaign, 7).ToListAsync());
            await Ask($"each {campaign} by 100", async () => await queries.PaginatedEachAsync(campaign, 100).ToListAsync());
        }

        foreach (var perPage in PerPages)
        {
            foreach (var campaign in new[] { _big, _small, _empty })
            {
                var lastPage = (int)Math.Max(1, (entryCounts[campaign] + perPage - 1) / perPage);
                foreach (var number in new[] { 1, 2, lastPage / 2, lastPage - 1, lastPage, lastPage + 1, lastPage + 10 }.Where(n => n >= 1).Distinct())
                {
                    await Ask($"entries {campaign} page {number} per {perPage}", () => queries.EntriesAsync(campaign, PageRequest.Number(number, perPage)));
                    await Ask($"non-winners {campaign} page {number} per {perPage}", () => queries.NonWinnersAsync(campaign, PageRequest.Number(number, perPage)));
                }

                if (perPage > 1 || campaign != _big)
                {
                    await WalkAsync($"entries {campaign} walk per {perPage}", p => queries.EntriesAsync(campaign, p), perPage, answers);
                    await WalkAsync($"non-winners {campaign} walk per {perPage}", p => queries.NonWinnersAsync(campaign, p), perPage, answers);
                }
            }

            foreach (var user in new long[] { 300, 301, 305, 999 })
            {
                foreach (var number in new[] { 1, 2, 5, 40, 400 })
                {
                    await Ask($"user {user} page {number} per {perPage}", () => queries.UserEntriesAsync(user, PageRequest.Number(number, perPage)));
                }

                if (perPage > 1)
                {
                    await WalkAsync($"user {user} walk per {perPage}", p => queries.UserEntriesAsync(user, p), perPage, answers);
                }
            }
        }

        // Ranges: the whole span, on bucket boundaries, starting and ending inside buckets, empty, outside the data.
        var day = Start.Date;
        var ranges = new (string Name, DateTime Since, DateTime Until)[]
        {
            ("all", day.AddDays(-1), day.AddDays(4)),
            ("day boundaries", day.AddDays(1), day.AddDays(2)),
            ("hour boundaries", day.AddHours(23), day.AddHours(26)),
            ("minute boundaries", Start.AddSeconds(30), Start.AddMinutes(45).AddSeconds(30)),
            ("inside", day.AddHours(22).AddMinutes(59).AddSeconds(59.5), day.AddHours(30).AddMinutes(0.25)),
            ("a millisecond", day.AddHours(23).AddMilliseconds(1), day.AddHours(23).AddMilliseconds(2)),
            ("empty", day.AddHours(23), day.AddHours(23)),
            ("before the data", day.AddDays(-9), day.AddDays(-8)),
        };
        foreach (var granularity in Enum.GetValues<Granularity>())
        {
            foreach (var (name, since, until) in ranges)
            {
                foreach (var campaign in new[] { _big, _empty })
                {
                    await Ask($"statistics {campaign} {granularity} {name}", () => queries.StatisticsAsync(campaign, granularity, since, until));
                }

                await Ask($"vote series {granularity} {name}", () => queries.VoteSeriesAsync(_vote, granularity, since, until));
            }
        }

        await Ask("vote totals", () => queries.VoteTotalsAsync(_vote));
        await Ask("vote totals of a contest", () => queries.VoteTotalsAsync(_big));

        // Bad requests fail the same way from both stores.
        await Ask("page 0", () => queries.EntriesAsync(_big, PageRequest.Number(0, 10)));
        await Ask("per_page 1001", () => queries.EntriesAsync(_big, PageRequest.Number(1, 1001)));
        await Ask("malformed token", () => queries.EntriesAsync(_big, PageRequest.After("garbage")));
        await Ask("unknown campaign", () => queries.EntriesAsync(987_654, PageRequest.Number(1, 10)));

        // Tokens from pages MySQL answered continue on whichever store answers now.
        if (liveTokens is not null)
        {
            foreach (var perPage in PerPages)
            {
                await Ask($"live token entries {perPage}", () => queries.EntriesAsync(_big, PageRequest.After(liveTokens[$"entries {perPage}"])));
                await Ask($"live token non-winners {perPage}", () => queries.NonWinnersAsync(_big, PageRequest.After(liveTokens[$"non-winners {perPage}"])));
                await Ask($"live token user {perPage}", () => queries.UserEntriesAsync(300, PageRequest.After(liveTokens[$"user {perPage}"])));
            }
        }
        else
        {
            foreach (var perPage in PerPages)
            {
                await Ask($"live token entries {perPage}", () => queries.EntriesAsync(_big, PageRequest.Number(3, perPage)));
                await Ask($"live token non-winners {perPage}", () => queries.NonWinnersAsync(_big, PageRequest.Number(2, perPage)));
                await Ask($"live token user {perPage}", () => queries.UserEntriesAsync(300, PageRequest.Number(2, perPage)));
            }
        }

        return answers;
    }

    /// <summary>A keyset walk from page 1 to the end, recorded page by page.</summary>
    private static async Task WalkAsync(string name, Func<PageRequest, Task<Page<ContestEntry>>> read, int perPage, List<(string Name, string Answer)> answers)
    {
        var page = await read(PageRequest.Number(1, perPage));
        var pages = new List<string> { JsonSerializer.Serialize(page, Json) };
        while (page.NextToken is { } token)
        {
            page = await read(PageRequest.After(token));
            pages.Add(JsonSerializer.Serialize(page, Json));
        }

        answers.Add((name, string.Join("\n", pages)));
    }
}
