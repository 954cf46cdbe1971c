using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql.Demo;
using Archiver.MySql.Queries;
using Archiver.Queries;
using Dapper;

namespace Archiver.IntegrationTests.Queries;

/// <summary>The live store against real MariaDB: its answers against LINQ over the same rows, and the snapshot that makes routing by the flag safe.</summary>
public sealed class MySqlCampaignStoreTests : DatabaseTest
{
    private static readonly DateTime Start = new(2026, 11, 1, 23, 0, 0, DateTimeKind.Utc);
    private long _contest, _other, _vote, _archived;

    private MySqlCampaignStore Store() => new(Db.DataSource, Microsoft.Extensions.Options.Options.Create(new QueryOptions()));

    protected override async Task InitializeDatabasesAsync()
    {
        _contest = await Db.AddCampaignAsync(TimeSpan.FromDays(-1));
        _other = await Db.AddCampaignAsync(TimeSpan.FromDays(-1));
        _vote = await Db.AddCampaignAsync(TimeSpan.FromDays(-1), "vote");
        _archived = await Db.AddCampaignAsync(TimeSpan.FromDays(3), archived: true);
        var rows = new List<EntryRow>();
        foreach (var campaign in new[] { _contest, _other, _archived })
        {
            for (var i = 1; i <= 230; i++)
            {
                rows.Add(new EntryRow
                {
                    CampaignId = campaign,
                    UserId = i % 10 == 0 ? null : 7 + (i % 3),
                    EntryNumber = i,
                    Winner = i % 6 == 0,
                    Message = i % 8 == 0 ? null : $"Grüße 👋 {i}",

                    // Ties (pairs share a millisecond) and rows exactly on minute, hour and day starts.
                    CreatedAt = i % 4 == 0 ? Start.AddMinutes(i / 2) : Start.AddMilliseconds((i / 2) * 37_003L),
                });
            }
        }

        await Db.AddEntriesAsync(rows);
        string[] choices = ["Yes", "yes", "Yes ", "🍍"];
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await RowInserter.InsertVotesAsync(connection, Enumerable.Range(1, 90).Select(i => new VoteRow
        {
            CampaignId = _vote,
            UserId = i,
            Choice = choices[i % choices.Length],
            CreatedAt = Start.AddMinutes(i * 3),
        }).ToList());
    }

    private async Task<List<ContestEntry>> AllAsync(string where, object? parameters = null)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(long Id, long CampaignId, long? UserId, int EntryNumber, bool Winner, string? Message, DateTime CreatedAt)>(
            $"SELECT id, campaign_id, user_id, entry_number, winner, message, created_at FROM contest_campaign_entries WHERE {where}", parameters);
        return rows.Select(r => new ContestEntry(r.Id, r.CampaignId, r.UserId, r.EntryNumber, r.Winner, r.Message, DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc))).ToList();
    }

    [Fact]
    public async Task Entries_by_offset_and_after_id_equal_the_rows_in_id_order_for_every_filter()
    {
        var store = Store();
        var all = (await AllAsync("campaign_id = @c", new { c = _contest })).OrderBy(e => e.Id).ToList();
        foreach (var filter in Enum.GetValues<EntryFilter>())
        {
            var expected = all.Where(e => filter == EntryFilter.All || e.Winner == (filter == EntryFilter.Winners)).ToList();
            foreach (var (offset, limit) in new (int, int?)[] { (0, 7), (3, 50), (expected.Count - 1, 10), (expected.Count, 10), (expected.Count + 5, 10), (0, null), (10, null), (0, 0) })
            {
                var slice = await store.ReadEntriesAsync(_contest, filter, EntrySeek.AtOffset(offset), limit, true, CancellationToken.None);
                Assert.Equal(expected.Count, slice.Total);
                Assert.Equal(expected.Skip(offset).Take(limit ?? int.MaxValue), slice.Items);
            }

            var after = expected[expected.Count / 2].Id;
            var rest = await store.ReadEntriesAsync(_contest, filter, EntrySeek.After(after), 1000, false, CancellationToken.None);
            Assert.Equal(-1, rest.Total);
            Assert.Equal(expected.Where(e => e.Id > after), rest.Items);
        }

        Assert.Contains(all, e => e.UserId is null);
        Assert.Contains(all, e => e.Message is null);
        Assert.All(all, e => Assert.Equal(DateTimeKind.Utc, e.CreatedAt.Kind));
    }

    [Fact]
    public async Task An_archived_campaign_is_refused_and_an_unknown_one_named()
    {
        var store = Store();
        var archived = await Assert.ThrowsAsync<CampaignArchivedException>(() => store.ReadEntriesAsync(_archived, EntryFilter.All, EntrySeek.Start, 10, true, CancellationToken.None));
        Assert.Equal(_archived, archived.CampaignId);
        await Assert.ThrowsAsync<CampaignArchivedException>(() => store.StatisticsAsync(_archived, Granularity.Day, Start.Date, Start.Date.AddDays(3), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<CampaignNotFoundException>(() => store.VoteTotalsAsync(424_242, CancellationToken.None));
        Assert.Contains("424242", missing.Message);
    }

    [Fact]
    public async Task Rows_read_beside_a_clear_flag_are_complete_even_when_the_campaign_is_flagged_and_purged_before_they_are_read()
    {
        var expected = (await AllAsync("campaign_id = @c", new { c = _contest })).OrderBy(e => e.Id).ToList();
        var store = Store();
        store.AfterFlagRead = async (campaign, ct) =>
        {
            // Another session archives the campaign and purges half its rows, committed, between
            // the flag read and the rows read of this one.
            await Db.ExecuteAsync("UPDATE campaigns SET archived = 1, archived_at = UTC_TIMESTAMP(3) WHERE id = @c", new { c = campaign });
            await Db.ExecuteAsync("DELETE FROM contest_campaign_entries WHERE campaign_id = @c AND id % 2 = 0", new { c = campaign });
        };

        var slice = await store.ReadEntriesAsync(_contest, EntryFilter.All, EntrySeek.Start, null, true, CancellationToken.None);

        Assert.Equal(expected.Count, slice.Total);
        Assert.Equal(expected, slice.Items);
        store.AfterFlagRead = null;
        await Assert.ThrowsAsync<CampaignArchivedException>(() => store.ReadEntriesAsync(_contest, EntryFilter.All, EntrySeek.Start, null, true, CancellationToken.None));
    }

    [Fact]
    public async Task Statistics_count_whole_buckets_of_the_range_with_rows_on_the_bounds()
    {
        var store = Store();
        var all = await AllAsync("campaign_id = @c", new { c = _contest });
        foreach (var granularity in Enum.GetValues<Granularity>())
        {
            foreach (var (since, until) in new[] { (Start.Date, Start.Date.AddDays(3)), (Start.AddMinutes(10), Start.AddMinutes(60)), (Start.AddHours(1), Start.AddHours(1)) })
            {
                var (from, to) = (TimeBuckets.Floor(since, granularity), TimeBuckets.Ceiling(until, granularity));
                var expected = all.Where(e => e.CreatedAt >= from && e.CreatedAt < to)
                    .GroupBy(e => TimeBuckets.Floor(e.CreatedAt, granularity)).OrderBy(g => g.Key)
                    .Select(g => new StatisticsPoint(g.Key, g.Count(), g.Count(e => e.Winner))).ToList();
                var actual = await store.StatisticsAsync(_contest, granularity, from, to, CancellationToken.None);
                Assert.Equal(expected, actual);
                Assert.All(actual, p => Assert.Equal(DateTimeKind.Utc, p.BucketStart.Kind));
            }
        }

        // A row exactly on the end bound is outside, one exactly on the start inside.
        var minute = await store.StatisticsAsync(_contest, Granularity.Minute, Start.AddMinutes(2), Start.AddMinutes(3), CancellationToken.None);
        Assert.Equal(all.Count(e => e.CreatedAt >= Start.AddMinutes(2) && e.CreatedAt < Start.AddMinutes(3)), minute.Sum(p => p.Count));
        Assert.Contains(all, e => e.CreatedAt == Start.AddMinutes(2));
    }

    [Fact]
    public async Task Votes_are_counted_per_choice_byte_for_byte_in_ordinal_order()
    {
        var store = Store();
        var totals = await store.VoteTotalsAsync(_vote, CancellationToken.None);
        Assert.Equal(["Yes", "Yes ", "yes", "🍍"], totals.Select(t => t.Choice));
        Assert.Equal(90, totals.Sum(t => t.Votes));
        // Choice i % 4 for i in 1..90: "Yes" and the pineapple 22 times, "yes" and "Yes " 23 times.
        Assert.Equal([22L, 23, 23, 22], totals.Select(t => t.Votes));

        var series = await store.VoteSeriesAsync(_vote, Granularity.Hour, Start.Date, Start.Date.AddDays(2), CancellationToken.None);
        Assert.Equal(90, series.Sum(b => b.Votes));
        Assert.All(series, b => Assert.Equal(b.Votes, b.Choices.Sum(c => c.Votes)));
        Assert.Equal(series.OrderBy(b => b.BucketStart).Select(b => b.BucketStart), series.Select(b => b.BucketStart));
        // One vote every 3 minutes from 23:03: 19 in the first hour (23:03 … 23:57), 20 in each full one after.
        Assert.Equal((Start, 19L), (series[0].BucketStart, series[0].Votes));
        Assert.Equal((Start.AddHours(1), 20L), (series[1].BucketStart, series[1].Votes));
    }

    [Fact]
    public async Task A_users_live_entries_exclude_archived_campaigns_and_are_newest_first_with_ties_by_campaign_then_id()
    {
        var entries = await Store().LiveUserEntriesAsync(8, CancellationToken.None);
        var expected = (await AllAsync("user_id = 8 AND campaign_id <> @a", new { a = _archived })).OrderBy(UserEntryKey.Of).ToList();
        Assert.Equal(expected, entries);
        Assert.Contains(entries, e => e.CampaignId == _other);
        Assert.DoesNotContain(entries, e => e.CampaignId == _archived);
        Assert.Contains(entries.Zip(entries.Skip(1)), p => p.First.CreatedAt == p.Second.CreatedAt);

        var flags = await Store().ArchivedFlagsAsync([_contest, _archived, 999_999], CancellationToken.None);
        Assert.Equal(new Dictionary<long, bool> { [_contest] = false, [_archived] = true }, flags);
    }
}
