using System.Text;
using Archiver.CouchDb;
using Archiver.CouchDb.Queries;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql.Demo;
using Archiver.Queries;
using Dapper;

namespace Archiver.IntegrationTests.Queries;

/// <summary>
/// The CouchDB store's answers on a real archive (archived once for the class, shipped views
/// deployed) equal LINQ over the same rows read back from MySQL: every page by offset with a small
/// page-index stride, keyset walks, filters, totals, statistics and vote series at every
/// granularity, a user's keys and documents. Reads only, apart from one test's stray documents in a
/// campaign nobody else reads.
/// </summary>
public sealed class CouchCampaignStoreTests(CouchCampaignStoreTests.Archive archive) : IClassFixture<CouchCampaignStoreTests.Archive>
{
    private const int Stride = 7;

    private static readonly EntryFilter[] Filters = [EntryFilter.All, EntryFilter.Winners, EntryFilter.NonWinners];

    private static readonly Granularity[] Granularities = [Granularity.Minute, Granularity.Hour, Granularity.Day];

    private TestDatabases Db => archive.Db;

    private CouchCampaignStore Store(CouchDbClient? client = null, int campaigns = 16) => new(
        client ?? Db.Couch,
        Microsoft.Extensions.Options.Options.Create(Db.Options()),
        Microsoft.Extensions.Options.Options.Create(new QueryOptions { PageIndexStride = Stride, PageIndexCampaigns = campaigns }));

    private List<ContestEntry> Expected(long campaign, EntryFilter filter) => archive.Entries
        .Where(e => e.CampaignId == campaign && filter switch { EntryFilter.Winners => e.Winner, EntryFilter.NonWinners => !e.Winner, _ => true })
        .OrderBy(e => e.Id).ToList();

    [Fact]
    public async Task Every_page_by_offset_equals_MySQL_for_every_filter_and_page_size_with_exact_totals()
    {
        var store = Store();
        foreach (var filter in Filters)
        {
            var expected = Expected(archive.Contest, filter);
            Assert.True(expected.Count > 3 * Stride, $"{filter}: too few entries to cross page-index anchors");
            foreach (var perPage in new[] { 1, 7, 50 })
            {
                // Every offset, not only page starts: each position in a stride is a different skip from its anchor.
                var step = perPage == 50 ? 3 : 1;
                for (var offset = 0; offset <= expected.Count + perPage; offset += step)
                {
                    var slice = await store.ReadEntriesAsync(archive.Contest, filter, EntrySeek.AtOffset(offset), perPage, withTotal: true, default);
                    Assert.Equal(expected.Count, slice.Total);
                    Assert.True(expected.Skip(offset).Take(perPage).SequenceEqual(slice.Items), $"{filter}, per_page {perPage}, offset {offset}");
                    Assert.All(slice.Items, e => Assert.Equal(DateTimeKind.Utc, e.CreatedAt.Kind));
                }
            }
        }
    }

    [Fact]
    public async Task Offsets_past_the_end_are_empty_with_or_without_an_index_and_keep_their_totals()
    {
        var store = Store();
        foreach (var filter in Filters)
        {
            var total = Expected(archive.Contest, filter).Count;
            foreach (var offset in new long[] { total, total + 1, total + Stride, 1_000_000, long.MaxValue / 2 })
            {
                var withTotal = await store.ReadEntriesAsync(archive.Contest, filter, EntrySeek.AtOffset(offset), 10, withTotal: true, default);
                Assert.Equal((total, 0), (withTotal.Total, withTotal.Items.Count));
                var without = await store.ReadEntriesAsync(archive.Contest, filter, EntrySeek.AtOffset(offset), 10, withTotal: false, default);
                Assert.Equal((-1L, 0), (without.Total, without.Items.Count));
            }

            // The last entry is still there one before the end, found through the index.
            var last = await store.ReadEntriesAsync(archive.Contest, filter, EntrySeek.AtOffset(total - 1), 10, withTotal: false, default);
            Assert.Equal(Expected(archive.Contest, filter)[^1], Assert.Single(last.Items));
        }
    }

    [Fact]
    public async Task Keyset_walks_from_any_id_equal_MySQL_and_all_entries_come_with_no_limit()
    {
        var store = Store();
        foreach (var filter in Filters)
        {
            var expected = Expected(archive.Contest, filter);
            foreach (var perPage in new[] { 1, 7, 50 })
            {
                var walked = new List<ContestEntry>();
                var seek = EntrySeek.Start;
                while (true)
                {
                    var slice = await store.ReadEntriesAsync(archive.Contest, filter, seek, perPage, withTotal: false, default);
                    Assert.Equal(-1, slice.Total);
                    walked.AddRange(slice.Items);
                    if (slice.Items.Count < perPage)
                    {
                        break;
                    }

                    seek = EntrySeek.After(slice.Items[^1].Id);
                }

                Assert.Equal(expected, walked);
            }

            // From ids that are not entries of this filter: gaps, another campaign's ids, before and after everything.
            var afters = expected.Take(5).Select(e => e.Id - 1).Concat(archive.Entries.Where(e => e.CampaignId == archive.Other).Take(3).Select(e => e.Id))
                .Concat([0, -5, expected[^1].Id, expected[^1].Id + 1, long.MaxValue]);
            foreach (var after in afters)
            {
                var slice = await store.ReadEntriesAsync(archive.Contest, filter, EntrySeek.After(after), 9, withTotal: true, default);
                Assert.Equal(expected.Where(e => e.Id > after).Take(9), slice.Items);
                Assert.Equal(expected.Count, slice.Total);
            }

            var all = await store.ReadEntriesAsync(archive.Contest, filter, EntrySeek.Start, null, withTotal: true, default);
            Assert.Equal(expected, all.Items);
            var rest = await store.ReadEntriesAsync(archive.Contest, filter, EntrySeek.AtOffset(Stride * 2 + 3), null, withTotal: false, default);
            Assert.Equal(expected.Skip(Stride * 2 + 3), rest.Items);
            Assert.Empty((await store.ReadEntriesAsync(archive.Contest, filter, EntrySeek.Start, 0, withTotal: false, default)).Items);
        }
    }

    [Fact]
    public async Task Entries_keep_NULL_users_and_messages_emoji_tied_timestamps_and_bucket_edge_times_exactly()
    {
        var all = (await Store().ReadEntriesAsync(archive.Contest, EntryFilter.All, EntrySeek.Start, null, withTotal: false, default)).Items;

        Assert.Contains(all, e => e.UserId is null);
        Assert.Contains(all, e => e.Message is null);
        Assert.Contains(all, e => e.Message == "");
        Assert.Contains(all, e => e.Message?.Contains("🎉", StringComparison.Ordinal) == true);
        Assert.Contains(all, e => e.CreatedAt == new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc));
        Assert.Contains(all, e => e.CreatedAt == new DateTime(2026, 11, 2, 23, 59, 59, 999, DateTimeKind.Utc));
        Assert.True(all.GroupBy(e => e.CreatedAt).Any(g => g.Count() > 1), "no tied timestamps");
        Assert.Equal(Expected(archive.Contest, EntryFilter.All), all);
    }

    [Fact]
    public async Task Totals_come_from_the_rollups_and_equal_the_real_counts_also_for_an_empty_or_unknown_campaign()
    {
        var store = Store();
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        foreach (var campaign in new[] { archive.Contest, archive.Other, archive.Empty, 987_654_321L })
        {
            var (count, winners) = await connection.QuerySingleAsync<(long, long)>(
                "SELECT COUNT(*), COALESCE(SUM(winner), 0) FROM contest_campaign_entries WHERE campaign_id = @campaign", new { campaign });
            var expected = new[] { count, winners, count - winners };
            var actual = new List<long>();
            foreach (var filter in Filters)
            {
                var slice = await store.ReadEntriesAsync(campaign, filter, EntrySeek.AtOffset(Stride * 3), 5, withTotal: true, default);
                actual.Add(slice.Total);
            }

            Assert.Equal(expected, actual);
        }

        Assert.Empty((await store.ReadEntriesAsync(archive.Empty, EntryFilter.All, EntrySeek.Start, null, withTotal: false, default)).Items);
        Assert.Empty((await store.ReadEntriesAsync(archive.Empty, EntryFilter.Winners, EntrySeek.AtOffset(Stride * 5), null, withTotal: false, default)).Items);
    }

    [Fact]
    public async Task Statistics_equal_MySQL_at_every_granularity_for_ranges_bounded_exactly_at_bucket_edges()
    {
        var store = Store();
        foreach (var granularity in Granularities)
        {
            var rows = archive.Entries.Where(e => e.CampaignId == archive.Contest).ToList();
            var buckets = rows.GroupBy(e => TimeBuckets.Floor(e.CreatedAt, granularity))
                .Select(g => new StatisticsPoint(g.Key, g.Count(), g.Count(e => e.Winner))).OrderBy(p => p.BucketStart).ToList();
            Assert.True(buckets.Count >= 3, $"{granularity}: too few buckets");
            var width = TimeBuckets.Width(granularity);

            // Edges: a range from or to a bucket that has entries includes the first and excludes the last.
            var starts = buckets.Select(b => b.BucketStart).ToList();
            var bounds = new List<(DateTime Since, DateTime Until)>
            {
                (starts[0], starts[^1] + width),
                (starts[0] - (100 * width), starts[^1] + (100 * width)),
                (starts[1], starts[^1]),
                (starts[1], starts[1]),
                (starts[1], starts[1] + width),
                (starts[^1], starts[^1] + width),
                (starts[^1] + width, starts[^1] + (5 * width)),
                (starts[0] - (5 * width), starts[0]),
                (starts[2], starts[1]),
                (DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc)),
            };
            if (granularity != Granularity.Day)
            {
                // A day boundary inside an hour or minute series: keys change their day part there.
                var midnight = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
                bounds.Add((midnight, midnight + width));
                bounds.Add((midnight - width, midnight + width));
                bounds.Add((midnight - TimeSpan.FromHours(2), midnight));
            }

            foreach (var (since, until) in bounds)
            {
                var expected = buckets.Where(b => b.BucketStart >= since && b.BucketStart < until).ToList();
                var actual = await store.StatisticsAsync(archive.Contest, granularity, since, until, default);
                Assert.True(expected.SequenceEqual(actual), $"{granularity} [{since:O}, {until:O}): expected {expected.Count} buckets, got {actual.Count}");
                Assert.All(actual, p => Assert.Equal(DateTimeKind.Utc, p.BucketStart.Kind));
            }

            Assert.Contains(await store.StatisticsAsync(archive.Contest, granularity, starts[0], starts[^1] + width, default),
                p => p.BucketStart == TimeBuckets.Floor(new DateTime(2026, 11, 2, 0, 0, 0), granularity));
            Assert.Empty(await store.StatisticsAsync(archive.Empty, granularity, starts[0], starts[^1] + width, default));
        }
    }

    [Fact]
    public async Task An_archived_campaigns_series_is_read_once_per_granularity_and_every_range_cut_from_it()
    {
        using var handler = new CountingHandler();
        using var http = handler.CreateClient();
        var store = Store(new CouchDbClient(http));
        var since = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var until = new DateTime(2026, 11, 4, 0, 0, 0, DateTimeKind.Utc);

        var whole = await store.StatisticsAsync(archive.Contest, Granularity.Hour, since, until, default);
        var read = Assert.Single(handler.Seen);
        Assert.Contains("group_level=3", read.Path, StringComparison.Ordinal);

        handler.Clear();
        var part = await store.StatisticsAsync(archive.Contest, Granularity.Hour, whole[1].BucketStart, whole[^1].BucketStart, default);
        Assert.Empty(handler.Seen);
        Assert.Equal(whole.Skip(1).SkipLast(1), part);

        await store.StatisticsAsync(archive.Contest, Granularity.Day, since, until, default);
        Assert.Contains("group_level=2", Assert.Single(handler.Seen).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vote_totals_count_choices_byte_exactly_in_ordinal_order()
    {
        var expected = archive.Votes.GroupBy(v => v.Choice, StringComparer.Ordinal)
            .Select(g => new ChoiceVotes(g.Key, g.Count())).OrderBy(c => c.Choice, StringComparer.Ordinal).ToList();

        var actual = await Store().VoteTotalsAsync(archive.Vote, default);

        Assert.Equal(expected, actual);
        Assert.Equal(Archive.Choices.Order(StringComparer.Ordinal), actual.Select(c => c.Choice));
        Assert.Empty(await Store().VoteTotalsAsync(archive.Contest, default));
    }

    [Fact]
    public async Task Vote_series_equal_MySQL_per_bucket_and_choice_at_every_granularity_and_bound()
    {
        var store = Store();
        foreach (var granularity in Granularities)
        {
            var buckets = archive.Votes.GroupBy(v => TimeBuckets.Floor(v.CreatedAt, granularity)).OrderBy(g => g.Key)
                .Select(g => (Start: g.Key, Text: Describe(new VoteBucket(g.Key, g.Count(), g.GroupBy(v => v.Choice, StringComparer.Ordinal)
                    .Select(c => new ChoiceVotes(c.Key, c.Count())).OrderBy(c => c.Choice, StringComparer.Ordinal).ToList())))).ToList();
            Assert.True(buckets.Count >= 3, $"{granularity}: too few buckets");
            var width = TimeBuckets.Width(granularity);
            var starts = buckets.Select(b => b.Start).ToList();
            var bounds = new[]
            {
                (starts[0], starts[^1] + width),
                (starts[1], starts[^1]),
                (starts[1], starts[1] + width),
                (starts[^1], starts[^1] + width),
                (starts[1], starts[1]),
                (starts[^1] + width, starts[^1] + (3 * width)),
            };
            foreach (var (since, until) in bounds)
            {
                var expected = buckets.Where(b => b.Start >= since && b.Start < until).Select(b => b.Text).ToList();
                var actual = await store.VoteSeriesAsync(archive.Vote, granularity, since, until, default);
                Assert.Equal(expected, actual.Select(Describe).ToList());
                Assert.All(actual, b => Assert.Equal(DateTimeKind.Utc, b.BucketStart.Kind));
            }
        }
    }

    [Fact]
    public async Task A_users_keys_come_newest_first_across_campaigns_and_their_documents_in_the_order_asked()
    {
        var store = Store();
        var users = archive.Entries.Where(e => e.UserId is not null).GroupBy(e => e.UserId!.Value)
            .Where(g => g.Select(e => e.CampaignId).Distinct().Count() > 1 && g.GroupBy(e => e.CreatedAt).Any(t => t.Count() > 1)).Select(g => g.Key).Take(2).ToList();
        Assert.NotEmpty(users);
        foreach (var user in users.Append(archive.Entries.Max(e => e.UserId ?? 0) + 1000))
        {
            var expected = archive.Entries.Where(e => e.UserId == user).OrderBy(UserEntryKey.Of).ToList();

            var keys = await store.UserEntryKeysAsync(user, default);

            Assert.Equal(expected.Select(UserEntryKey.Of), keys);
            Assert.Equal(expected, await store.GetEntriesAsync(keys, default));
            var shuffled = keys.Reverse().Concat(keys.Take(1)).ToList();
            Assert.Equal(shuffled, (await store.GetEntriesAsync(shuffled, default)).Select(UserEntryKey.Of));
        }
    }

    [Fact]
    public async Task A_missing_or_malformed_document_is_an_error_naming_the_database_and_document()
    {
        var store = Store();
        const long stray = 900_000_001;
        var missing = new UserEntryKey(new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc), stray, 1);

        var error = await Assert.ThrowsAsync<ArchiveReadException>(() => store.GetEntriesAsync([missing], default));
        Assert.Equal(Db.EntriesDb, error.Database);
        Assert.Equal(DocumentIds.ForRow("contest_campaign_entries", stray, 1), error.DocumentId);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);

        // A document of a campaign no other test reads, with a timestamp in another format.
        var id = DocumentIds.ForRow("contest_campaign_entries", stray, 2);
        using var body = new StringContent(
            $$"""{"type":"contest_campaign_entry","id":2,"campaign_id":{{stray}},"user_id":null,"entry_number":1,"winner":false,"message":null,"created_at":"2026-11-02 00:00:00"}""",
            Encoding.UTF8, "application/json");
        using (var put = await Db.Http.PutAsync($"{Db.EntriesDb}/{Uri.EscapeDataString(id)}", body))
        {
            put.EnsureSuccessStatusCode();
        }

        var malformed = await Assert.ThrowsAsync<ArchiveReadException>(() => store.GetEntriesAsync([missing with { Id = 2 }], default));
        Assert.Equal(id, malformed.DocumentId);
        Assert.Contains(Db.EntriesDb, malformed.Message, StringComparison.Ordinal);
        Assert.Contains("created_at", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deep_page_after_the_index_is_built_costs_what_a_shallow_page_costs()
    {
        using var handler = new CountingHandler();
        using var http = handler.CreateClient();
        var store = Store(new CouchDbClient(http));
        var expected = Expected(archive.Contest, EntryFilter.All);
        const int perPage = 5;
        var deepOffset = expected.Count - perPage - 3;
        var shallowOffset = deepOffset % Stride;
        Assert.True(deepOffset / Stride >= 30, "the deep page must be many strides in");

        // First use: the totals from the rollups and one pass over the view's keys without documents.
        await store.ReadEntriesAsync(archive.Contest, EntryFilter.All, EntrySeek.AtOffset(deepOffset), perPage, withTotal: true, default);
        var build = handler.Seen;
        Assert.Equal(3, build.Count);
        Assert.Contains(build, r => r.Path.Contains("_view/by_minute", StringComparison.Ordinal) && r.Path.Contains("group_level=1", StringComparison.Ordinal));
        Assert.Contains(build, r => r.Path.Contains("/_all_docs", StringComparison.Ordinal) && !r.Path.Contains("include_docs", StringComparison.Ordinal));

        handler.Clear();
        var deep = await store.ReadEntriesAsync(archive.Contest, EntryFilter.All, EntrySeek.AtOffset(deepOffset), perPage, withTotal: true, default);
        var deepRequest = Assert.Single(handler.Seen);

        handler.Clear();
        var shallow = await store.ReadEntriesAsync(archive.Contest, EntryFilter.All, EntrySeek.AtOffset(shallowOffset), perPage, withTotal: true, default);
        var shallowRequest = Assert.Single(handler.Seen);

        Assert.Equal(expected.Skip(deepOffset).Take(perPage), deep.Items);
        Assert.Equal(expected.Skip(shallowOffset).Take(perPage), shallow.Items);

        // Same limit and skip, and answers of the same size (the documents differ only in their values).
        string Query(CountedRequest r, string name) => r.Path.Split('?')[1].Split('&').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal));
        Assert.Equal(Query(shallowRequest, "limit"), Query(deepRequest, "limit"));
        Assert.Equal($"skip={shallowOffset}", Query(deepRequest, "skip"));
        Assert.InRange(deepRequest.ResponseBytes, shallowRequest.ResponseBytes * 0.8, shallowRequest.ResponseBytes * 1.25);

        // Another campaign's index beyond the cache's bound pushes this one out; reading it again rebuilds it.
        handler.Clear();
        var small = Store(new CouchDbClient(http), campaigns: 1);
        await small.ReadEntriesAsync(archive.Contest, EntryFilter.All, EntrySeek.AtOffset(deepOffset), perPage, withTotal: false, default);
        await small.ReadEntriesAsync(archive.Other, EntryFilter.All, EntrySeek.AtOffset(Stride * 2), perPage, withTotal: false, default);
        handler.Clear();
        await small.ReadEntriesAsync(archive.Contest, EntryFilter.All, EntrySeek.AtOffset(deepOffset), perPage, withTotal: false, default);
        Assert.Equal(3, handler.Seen.Count);
        Assert.Equal(1, small.CachedCampaigns);
    }

    private static string Describe(VoteBucket bucket) =>
        $"{bucket.BucketStart:O} {bucket.Votes}: {string.Join(" | ", bucket.Choices.Select(c => $"[{c.Choice}]={c.Votes}"))}";

    /// <summary>
    /// A contest of 400-odd entries with ids in steps and jumps, interleaved with another campaign's,
    /// over three days with tied and bucket-edge timestamps; an empty contest; a vote whose choices
    /// differ only in case, a trailing space, an emoji or their Unicode normalisation. Archived, views deployed.
    /// </summary>
    public sealed class Archive : IAsyncLifetime
    {
        public static readonly string[] Choices = ["Yes", "yes", "Yes ", "YES", "🍕 Pizza", "Ünïcode", "e\u0301", "\u00e9"];

        private TestDatabases? _db;

        public TestDatabases Db => _db ?? throw new InvalidOperationException("not initialised");

        public long Contest { get; private set; }

        public long Other { get; private set; }

        public long Empty { get; private set; }

        public long Vote { get; private set; }

        /// <summary>Every entry as MySQL has it after the archive run.</summary>
        public IReadOnlyList<ContestEntry> Entries { get; private set; } = [];

        /// <summary>The vote campaign's votes as MySQL has them.</summary>
        public IReadOnlyList<(string Choice, DateTime CreatedAt)> Votes { get; private set; } = [];

        public async Task InitializeAsync()
        {
            _db = await TestDatabases.CreateAsync();
            Contest = await Db.AddCompletedCampaignAsync();
            Other = await Db.AddCompletedCampaignAsync();
            Empty = await Db.AddCompletedCampaignAsync();
            Vote = await Db.AddCompletedCampaignAsync("vote");
            var start = new DateTime(2026, 11, 1, 21, 30, 0);
            var edges = new[]
            {
                new DateTime(2026, 11, 2, 0, 0, 0), new DateTime(2026, 11, 2, 23, 59, 59, 999), new DateTime(2026, 11, 2, 14, 0, 0),
                new DateTime(2026, 11, 2, 13, 59, 59, 999), new DateTime(2026, 11, 3, 0, 0, 0), new DateTime(2026, 11, 1, 23, 59, 0),
            };
            var entries = Enumerable.Range(1, 560).Select(i => new EntryRow
            {
                // Steps of 3 with a jump, so that "after id" must mean the next id that exists.
                Id = 100 + (i * 3) + (i > 300 ? 50_000 : 0),
                CampaignId = i % 4 == 0 ? Other : Contest,
                UserId = i % 9 == 0 ? null : 100 + (i % 13),
                EntryNumber = i,
                Winner = (i * 7) % 11 == 0,
                Message = (i % 5) switch { 0 => null, 1 => "", 2 => $"entry {i} 🎉", _ => $"Eintrag {i} äöü \"quoted\"" },
                // Pairs share a millisecond; some rows sit exactly on day, hour and minute edges.
                CreatedAt = i % 23 == 0 ? edges[i / 23 % edges.Length] : start.AddMilliseconds((i / 2 * 7_919_113L) % (3L * 86_400_000)),
            }).ToList();

            // One user with entries of both campaigns in the same millisecond: their order is campaign, then id, descending.
            var tie = new DateTime(2026, 11, 2, 12, 0, 0, 5);
            entries.AddRange(Enumerable.Range(1, 6).Select(k => new EntryRow
            {
                Id = 200_000 + k,
                CampaignId = k % 2 == 0 ? Other : Contest,
                UserId = 777,
                EntryNumber = 1000 + k,
                Winner = k == 3,
                Message = "tie",
                CreatedAt = k <= 4 ? tie : tie.AddMilliseconds(-k),
            }));
            await Db.AddEntriesAsync(entries);
            var votes = Enumerable.Range(1, 640).Select(i => new VoteRow
            {
                CampaignId = Vote,
                UserId = i % 11 == 0 ? null : 500 + i,
                Choice = Choices[(i * i + i / 3) % Choices.Length],
                CreatedAt = i % 29 == 0 ? edges[i / 29 % edges.Length] : start.AddMilliseconds((i / 2 * 4_111_007L) % (2L * 86_400_000)),
            }).ToList();
            await using (var connection = await Db.DataSource.OpenConnectionAsync())
            {
                await RowInserter.InsertVotesAsync(connection, votes);
            }

            var run = await Db.Engine().RunAsync(new ArchiveRequest());
            Assert.True(run.Succeeded);
            foreach (var campaign in new[] { Contest, Other, Empty, Vote })
            {
                Assert.True(await Db.IsArchivedAsync(campaign), $"campaign {campaign} is not archived");
            }

            await Db.DeployViewsAsync();

            await using (var connection = await Db.DataSource.OpenConnectionAsync())
            {
                var rows = await connection.QueryAsync<(long Id, long CampaignId, long? UserId, int EntryNumber, bool Winner, string? Message, DateTime CreatedAt)>(
                    "SELECT id, campaign_id, user_id, entry_number, winner, message, created_at FROM contest_campaign_entries ORDER BY id");
                Entries = rows.Select(r => new ContestEntry(r.Id, r.CampaignId, r.UserId, r.EntryNumber, r.Winner, r.Message, DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc))).ToList();
                Votes = (await connection.QueryAsync<(string Choice, DateTime CreatedAt)>(
                    "SELECT choice, created_at FROM vote_campaign_votes WHERE campaign_id = @Vote", new { Vote }))
                    .Select(v => (v.Choice, DateTime.SpecifyKind(v.CreatedAt, DateTimeKind.Utc))).ToList();
            }
        }

        public async Task DisposeAsync()
        {
            if (_db is not null)
            {
                await _db.DisposeAsync();
            }
        }
    }
}
