using System.Globalization;
using System.Text.Json;
using Archiver.CouchDb;
using Archiver.CouchDb.Queries;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql.Demo;
using Dapper;

namespace Archiver.IntegrationTests;

/// <summary>
/// The shipped views, deployed onto a real archive: statistics from the rollup views equal the same
/// statistics computed directly in MySQL at day, hour and minute; the per-entry views list winners,
/// a user's entries in time order and counts per campaign. Reads are stale (the deploy built them).
/// The archive is made and the views deployed once for the class (<see cref="ArchivedCampaigns"/>): these tests only read.
/// </summary>
public sealed class ViewsStatisticsTests(ViewsStatisticsTests.ArchivedCampaigns campaigns) : IClassFixture<ViewsStatisticsTests.ArchivedCampaigns>
{
    private TestDatabases Db => campaigns.Db;

    private long Contest => campaigns.Contest;

    private long Vote => campaigns.Vote;

    private long Other => campaigns.Other;

    private static string Key(JsonElement key, int from) => string.Join(" ", key.EnumerateArray().Skip(from).Select(k => k.ToString()));

    [Fact]
    public async Task Entry_statistics_from_the_rollup_views_equal_MySQL_by_day_hour_and_minute()
    {
        foreach (var (level, format) in new[] { (2, "%Y-%m-%d"), (3, "%Y-%m-%d %H"), (4, "%Y-%m-%d %H %i") })
        {
            await using var connection = await Db.DataSource.OpenConnectionAsync();
            var expected = (await connection.QueryAsync<(string Bucket, long Count, long Winners)>(
                $"SELECT DATE_FORMAT(created_at, '{format}'), COUNT(*), SUM(winner) FROM contest_campaign_entries WHERE campaign_id = @c GROUP BY 1 ORDER BY 1",
                new { c = Contest })).Select(r => $"{r.Bucket}={r.Count}/{r.Winners}").ToList();

            var result = await Db.Couch.QueryViewAsync(Db.EntryRollupsDb, "stats", "by_minute",
                new ViewQuery { StartKey = $"[{Contest}]", EndKey = $"[{Contest},{{}}]", GroupLevel = level });
            var actual = result.Rows.Select(r => $"{Key(r.Key, 1)}={r.Value[0].GetInt64()}/{r.Value[1].GetInt64()}").ToList();

            Assert.True(expected.Count > 2, $"level {level}: too few buckets to compare");
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Vote_statistics_and_per_choice_counts_from_the_rollup_views_equal_MySQL_by_day_hour_and_minute()
    {
        foreach (var (level, format) in new[] { (2, "%Y-%m-%d"), (3, "%Y-%m-%d %H"), (4, "%Y-%m-%d %H %i") })
        {
            await using var connection = await Db.DataSource.OpenConnectionAsync();
            var expected = (await connection.QueryAsync<(string Bucket, long Count)>(
                $"SELECT DATE_FORMAT(created_at, '{format}'), COUNT(*) FROM vote_campaign_votes WHERE campaign_id = @c GROUP BY 1 ORDER BY 1",
                new { c = Vote })).Select(r => $"{r.Bucket}={r.Count}").ToList();
            var result = await Db.Couch.QueryViewAsync(Db.VoteRollupsDb, "stats", "by_minute",
                new ViewQuery { StartKey = $"[{Vote}]", EndKey = $"[{Vote},{{}}]", GroupLevel = level });
            Assert.Equal(expected, result.Rows.Select(r => $"{Key(r.Key, 1)}={r.Value.GetInt64()}").ToList());

            // Per choice: the choice leads the time parts, so one level more; compared as sets (CouchDB collates text by ICU, MySQL by its collation).
            var expectedChoices = (await connection.QueryAsync<(string Choice, string Bucket, long Count)>(
                $"SELECT choice, DATE_FORMAT(created_at, '{format}'), COUNT(*) FROM vote_campaign_votes WHERE campaign_id = @c GROUP BY 1, 2",
                new { c = Vote })).Select(r => $"{r.Choice} {r.Bucket}={r.Count}").Order(StringComparer.Ordinal).ToList();
            var choices = await Db.Couch.QueryViewAsync(Db.VoteRollupsDb, "stats", "choices_by_minute",
                new ViewQuery { StartKey = $"[{Vote}]", EndKey = $"[{Vote},{{}}]", GroupLevel = level + 1 });
            // The view keys the choice as UTF-16 hex (ICU would merge canonically equivalent text): decoded here.
            Assert.Equal(expectedChoices, choices.Rows.Select(r => $"{CouchCampaignStore.DecodeChoice(r.Key[1].GetString()!)} {Key(r.Key, 2)}={r.Value.GetInt64()}").Order(StringComparer.Ordinal).ToList());
        }
    }

    [Fact]
    public async Task The_entry_view_lists_a_campaigns_winners_and_non_winners_and_a_users_entries_in_time_order_and_ids_page_a_campaign()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();

        foreach (var winner in new[] { true, false })
        {
            var expected = (await connection.QueryAsync<long>("SELECT id FROM contest_campaign_entries WHERE campaign_id = @c AND winner = @winner ORDER BY id", new { c = Contest, winner })).ToList();
            var side = winner ? "true" : "false";
            var rows = await Db.Couch.QueryViewAsync(Db.EntriesDb, "entries", "keys", new ViewQuery { StartKey = $"[\"c\",{Contest},{side}]", EndKey = $"[\"c\",{Contest},{side},{{}}]" });
            Assert.Equal(expected, rows.Rows.Select(r => r.Key[3].GetInt64()).ToList());
        }

        var userEntries = (await connection.QueryAsync<long>("SELECT id FROM contest_campaign_entries WHERE user_id = 105 ORDER BY created_at, campaign_id, id")).ToList();
        var userRows = await Db.Couch.QueryViewAsync(Db.EntriesDb, "entries", "keys", new ViewQuery { StartKey = "[\"u\",105]", EndKey = "[\"u\",105,{}]" });
        Assert.Equal(userEntries, userRows.Rows.Select(r => r.Key[4].GetInt64()).ToList());
        Assert.Contains(userRows.Rows, r => r.Key[3].GetInt64() == Other);

        // A campaign's entries in id order are its document ids: keyset pages of 100 from the last id
        // seen cover the campaign exactly once, with no index.
        var all = (await connection.QueryAsync<long>("SELECT id FROM contest_campaign_entries WHERE campaign_id = @c ORDER BY id", new { c = Contest })).ToList();
        var (start, end) = DocumentIds.RowRange("contest_campaign_entries", Contest);
        var paged = new List<long>();
        var startKey = JsonSerializer.Serialize(start);
        while (true)
        {
            var page = await Db.Couch.QueryAllDocsAsync(Db.EntriesDb, new ViewQuery { StartKey = startKey, EndKey = JsonSerializer.Serialize(end), InclusiveEnd = false, Limit = 101 });
            paged.AddRange(page.Rows.Take(100).Select(r => long.Parse(r.Id![(r.Id!.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture)));
            if (page.Rows.Count <= 100)
            {
                break;
            }

            startKey = page.Rows[100].Key.GetRawText();
        }

        Assert.Equal(all, paged);
    }

    /// <summary>Two contests and a vote over three days, archived, with the shipped views deployed.</summary>
    public sealed class ArchivedCampaigns : IAsyncLifetime
    {
        private static readonly string[] Choices = ["Margherita", "Hawaii 🍍", "Quattro Formaggi"];
        private TestDatabases? _db;

        public TestDatabases Db => _db ?? throw new InvalidOperationException("not initialised");

        public long Contest { get; private set; }

        public long Other { get; private set; }

        public long Vote { get; private set; }

        public async Task InitializeAsync()
        {
            _db = await TestDatabases.CreateAsync();
            Contest = await Db.AddCompletedCampaignAsync();
            Other = await Db.AddCompletedCampaignAsync();
            Vote = await Db.AddCompletedCampaignAsync("vote");
            var start = new DateTime(2026, 11, 1, 22, 30, 0);

            // Pseudo-random times over three days, so that minutes hold zero, one or several rows and days and hours differ in size.
            var entries = Enumerable.Range(1, 1200).Select(i => new EntryRow
            {
                CampaignId = i % 10 == 0 ? Other : Contest,
                UserId = 100 + (i % 37),
                EntryNumber = i,
                Winner = i % 7 == 0,
                Message = $"entry {i}",
                CreatedAt = start.AddMilliseconds((i * 7_919_113L) % (3L * 86_400_000)),
            }).ToList();
            await Db.AddEntriesAsync(entries);
            var votes = Enumerable.Range(1, 700).Select(i => new VoteRow
            {
                CampaignId = Vote,
                UserId = i % 11 == 0 ? null : 500 + i,
                Choice = Choices[(i * i) % Choices.Length],
                CreatedAt = start.AddMilliseconds((i * 4_111_007L) % (2L * 86_400_000)),
            }).ToList();
            await using (var connection = await Db.DataSource.OpenConnectionAsync())
            {
                await RowInserter.InsertVotesAsync(connection, votes);
            }

            var run = await Db.Engine().RunAsync(new ArchiveRequest());
            Assert.True(run.Succeeded);
            await Db.DeployViewsAsync();
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
