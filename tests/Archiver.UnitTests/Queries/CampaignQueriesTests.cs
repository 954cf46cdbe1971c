using Archiver.Queries;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests.Queries;

public sealed class CampaignQueriesTests
{
    private readonly FakeCampaignWorld _world = new();
    private readonly ManualTimeProvider _time = new();

    private CampaignQueries Queries(int maxPerPage = 1000) =>
        new(_world.Live, _world.Archive, Microsoft.Extensions.Options.Options.Create(new QueryOptions { MaxPerPage = maxPerPage, ArchivedStateCacheFor = TimeSpan.FromSeconds(5) }), _time);

    [Theory]
    [InlineData(23, 7, 1, 7, 4)]
    [InlineData(23, 7, 4, 2, 4)]
    [InlineData(23, 7, 5, 0, 4)]
    [InlineData(21, 7, 3, 7, 3)]
    [InlineData(0, 7, 1, 0, 1)]
    [InlineData(0, 7, 2, 0, 1)]
    [InlineData(5, 1, 5, 1, 5)]
    public async Task Pages_follow_will_paginate(int entries, int perPage, int page, int items, long totalPages)
    {
        _world.AddCampaign(1, entries);
        var result = await Queries().EntriesAsync(1, PageRequest.Number(page, perPage));

        Assert.Equal(items, result.Items.Count);
        Assert.Equal(entries, result.TotalEntries);
        Assert.Equal(totalPages, result.TotalPages);
        Assert.Equal(page, result.CurrentPage);
        Assert.Equal(page > 1 ? page - 1 : null, result.PreviousPage);
        Assert.Equal(page < totalPages ? page + 1 : null, result.NextPage);
        Assert.Equal(page > totalPages, result.OutOfBounds);
        Assert.Equal(result.NextPage is null, result.NextToken is null);
        Assert.Equal(_world.Entries.OrderBy(e => e.Id).Skip((page - 1) * perPage).Take(perPage), result.Items);
    }

    [Fact]
    public async Task A_page_by_number_asks_the_store_for_its_offset_not_for_the_pages_before_it()
    {
        _world.AddCampaign(1, 100);
        await Queries().EntriesAsync(1, PageRequest.Number(9, 10));
        Assert.Equal([EntrySeek.AtOffset(80)], _world.Live.Seeks);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(50)]
    public async Task A_token_walk_reads_every_entry_once_and_each_page_equals_the_same_page_by_number(int perPage)
    {
        _world.AddCampaign(1, 101);
        _world.AddCampaign(2, 5);
        var queries = Queries();
        var seen = new List<ContestEntry>();
        var page = await queries.EntriesAsync(1, PageRequest.Number(1, perPage));
        while (true)
        {
            seen.AddRange(page.Items);
            Assert.Equal(await queries.EntriesAsync(1, PageRequest.Number(page.CurrentPage, perPage)), page, PageComparer.Instance);
            if (page.NextToken is null)
            {
                break;
            }

            page = await queries.EntriesAsync(1, PageRequest.After(page.NextToken));
        }

        Assert.Equal(_world.Entries.Where(e => e.CampaignId == 1), seen);
        Assert.Equal((101 + perPage - 1) / perPage, page.CurrentPage);
    }

    [Fact]
    public async Task Bad_pages_per_page_and_tokens_are_argument_errors_that_say_what_is_wrong()
    {
        _world.AddCampaign(1, 10);
        _world.AddCampaign(2, 10);
        var queries = Queries(maxPerPage: 100);

        Assert.Contains("page must be 1 or more", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queries.EntriesAsync(1, PageRequest.Number(0, 10)))).Message);
        Assert.Contains("per_page must be between 1 and 100", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queries.EntriesAsync(1, PageRequest.Number(1, 0)))).Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queries.EntriesAsync(1, PageRequest.Number(1, 101)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await queries.PaginatedEachAsync(1, 0).ToListAsync());

        var token = (await queries.EntriesAsync(1, PageRequest.Number(1, 3))).NextToken!;
        Assert.Contains("malformed", (await Assert.ThrowsAsync<ArgumentException>(() => queries.EntriesAsync(1, PageRequest.After("not-a-token")))).Message);
        Assert.Contains("malformed", (await Assert.ThrowsAsync<ArgumentException>(() => queries.EntriesAsync(1, PageRequest.After(token[..^2])))).Message);
        var edited = token[..5] + (token[5] == 'A' ? 'B' : 'A') + token[6..];
        Assert.Contains("malformed", (await Assert.ThrowsAsync<ArgumentException>(() => queries.EntriesAsync(1, PageRequest.After(edited)))).Message);
        Assert.Contains("continues the entries of campaign 1, not the entries of campaign 2",
            (await Assert.ThrowsAsync<ArgumentException>(() => queries.EntriesAsync(2, PageRequest.After(token)))).Message);
        Assert.Contains("not the non-winning entries of campaign 1",
            (await Assert.ThrowsAsync<ArgumentException>(() => queries.NonWinnersAsync(1, PageRequest.After(token)))).Message);
        Assert.Contains("not the entries of user 1",
            (await Assert.ThrowsAsync<ArgumentException>(() => queries.UserEntriesAsync(1, PageRequest.After(token)))).Message);

        // A token is checked against the bound of the API reading it, not the one that wrote it.
        _world.AddCampaign(3, 500);
        var wideToken = (await Queries().EntriesAsync(3, PageRequest.Number(1, 200))).NextToken!;
        Assert.Contains("per_page 200 is outside 1..100", (await Assert.ThrowsAsync<ArgumentException>(() => queries.EntriesAsync(3, PageRequest.After(wideToken)))).Message);
    }

    [Fact]
    public async Task An_unknown_campaign_is_an_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<CampaignNotFoundException>(() => Queries().EntriesAsync(42, PageRequest.Number(1, 10)));
        Assert.Contains("campaign 42", error.Message);
    }

    [Fact]
    public async Task Archived_campaigns_are_answered_by_the_archive_and_the_state_is_cached_only_briefly()
    {
        _world.AddCampaign(1, 10, archived: true);
        var queries = Queries();

        Assert.Equal(10, await queries.EntryCountAsync(1));
        Assert.Equal((1, 1), (_world.Live.Calls, _world.Archive.Calls));

        // Within the cache's lifetime MySQL is not asked again.
        Assert.Equal(10, await queries.EntryCountAsync(1));
        Assert.Equal((1, 2), (_world.Live.Calls, _world.Archive.Calls));

        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(10, await queries.EntryCountAsync(1));
        Assert.Equal((2, 3), (_world.Live.Calls, _world.Archive.Calls));
    }

    [Fact]
    public async Task Live_campaigns_are_always_checked_by_MySQL_so_the_flip_is_seen_at_once()
    {
        _world.AddCampaign(1, 10);
        var queries = Queries();
        Assert.Equal(10, await queries.EntryCountAsync(1));
        _world.Archived[1] = true;
        Assert.Equal(10, await queries.EntryCountAsync(1));
        Assert.Equal((2, 1), (_world.Live.Calls, _world.Archive.Calls));
    }

    [Fact]
    public async Task A_paginated_each_that_meets_the_flip_goes_on_in_the_archive_from_the_last_id()
    {
        _world.AddCampaign(1, 25);
        var queries = Queries();
        var seen = new List<ContestEntry>();
        await foreach (var entry in queries.PaginatedEachAsync(1, 10))
        {
            seen.Add(entry);
            if (seen.Count == 15)
            {
                _world.Archived[1] = true;
            }
        }

        Assert.Equal(_world.Entries, seen);
        // The third page was refused by MySQL (the flag is set in its snapshot) before it read anything.
        Assert.Equal([EntrySeek.Start, EntrySeek.After(_world.Entries[9].Id)], _world.Live.Seeks);
        Assert.Equal(3, _world.Live.Calls);
        Assert.Equal([EntrySeek.After(_world.Entries[19].Id)], _world.Archive.Seeks);
    }

    [Fact]
    public async Task Winners_are_all_returned_and_non_winners_paginated_with_their_own_totals()
    {
        _world.AddCampaign(1, 30, winnerEvery: 4);
        var queries = Queries();

        Assert.Equal(_world.Entries.Where(e => e.Winner), await queries.WinnersAsync(1));
        var page = await queries.NonWinnersAsync(1, PageRequest.Number(2, 10));
        Assert.Equal(22, page.TotalEntries);
        Assert.Equal(3, page.TotalPages);
        Assert.Equal(_world.Entries.Where(e => !e.Winner).Skip(10).Take(10), page.Items);
        var last = await queries.NonWinnersAsync(1, PageRequest.After(page.NextToken!));
        Assert.Equal(_world.Entries.Where(e => !e.Winner).Skip(20), last.Items);
        Assert.Equal(3, last.CurrentPage);
        Assert.Null(last.NextToken);
    }

    [Fact]
    public async Task A_users_entries_merge_live_and_archived_campaigns_newest_first_with_exact_totals()
    {
        _world.AddCampaign(1, 40, archived: true);
        _world.AddCampaign(2, 40);
        _world.AddCampaign(3, 40, archived: true);
        // Ties: the same millisecond in two campaigns, ordered by campaign then id, both descending.
        var tie = new DateTime(2026, 11, 1, 10, 0, 5, DateTimeKind.Utc);
        _world.Entries.Add(new ContestEntry(1000, 1, 100, 1, false, null, tie));
        _world.Entries.Add(new ContestEntry(1001, 2, 100, 2, false, null, tie));
        _world.Entries.Add(new ContestEntry(1002, 2, 100, 3, true, "ü", tie));
        var expected = _world.Entries.Where(e => e.UserId == 100).OrderBy(UserEntryKey.Of).ToList();
        var queries = Queries();

        foreach (var perPage in new[] { 1, 7, 50 })
        {
            var byNumber = new List<ContestEntry>();
            for (var number = 1; ; number++)
            {
                var page = await queries.UserEntriesAsync(100, PageRequest.Number(number, perPage));
                Assert.Equal(expected.Count, page.TotalEntries);
                byNumber.AddRange(page.Items);
                if (page.NextPage is null)
                {
                    Assert.Empty((await queries.UserEntriesAsync(100, PageRequest.Number(number + 1, perPage))).Items);
                    break;
                }
            }

            var byToken = new List<ContestEntry>();
            var current = await queries.UserEntriesAsync(100, PageRequest.Number(1, perPage));
            byToken.AddRange(current.Items);
            while (current.NextToken is { } token)
            {
                current = await queries.UserEntriesAsync(100, PageRequest.After(token));
                byToken.AddRange(current.Items);
            }

            Assert.Equal(expected, byNumber);
            Assert.Equal(expected, byToken);
        }
    }

    [Fact]
    public async Task A_user_read_that_races_a_campaigns_flip_is_read_again_and_counts_each_entry_once()
    {
        _world.AddCampaign(1, 20);
        _world.AddCampaign(2, 20, archived: true);
        var flipped = false;
        _world.BetweenUserReads = () =>
        {
            if (!flipped)
            {
                flipped = true;
                _world.Archived[1] = true;
            }
        };

        var page = await Queries().UserEntriesAsync(101, PageRequest.Number(1, 100));

        Assert.Equal(_world.Entries.Where(e => e.UserId == 101).OrderBy(UserEntryKey.Of), page.Items);
        Assert.Equal(8, page.TotalEntries);
    }

    [Fact]
    public async Task Archive_documents_of_a_campaign_not_yet_flagged_are_not_counted_for_a_user()
    {
        _world.AddCampaign(1, 20);
        var page = await Queries().UserEntriesAsync(100, PageRequest.Number(1, 100));
        Assert.Equal(4, page.TotalEntries);
        Assert.Equal(0, _world.Archive.Calls);
    }

    [Theory]
    [InlineData(Granularity.Minute, "10:00:30", "10:02:10", "10:00", "10:03")]
    [InlineData(Granularity.Hour, "10:30", "11:00", "10:00", "11:00")]
    [InlineData(Granularity.Hour, "10:00", "10:00:00.001", "10:00", "11:00")]
    [InlineData(Granularity.Day, "10:00", "12:00", "00:00", "1.00:00")]
    public async Task A_series_covers_every_bucket_the_range_overlaps_each_counted_whole(Granularity granularity, string since, string until, string start, string end)
    {
        _world.AddCampaign(1, 1000);
        var day = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var (from, to) = (day + TimeSpan.Parse(since, System.Globalization.CultureInfo.InvariantCulture), day + TimeSpan.Parse(until, System.Globalization.CultureInfo.InvariantCulture));
        var (bucketsFrom, bucketsTo) = (day + TimeSpan.Parse(start, System.Globalization.CultureInfo.InvariantCulture), day + TimeSpan.Parse(end, System.Globalization.CultureInfo.InvariantCulture));

        var series = await Queries().StatisticsAsync(1, granularity, from, to);

        var expected = _world.Entries.Where(e => e.CreatedAt >= bucketsFrom && e.CreatedAt < bucketsTo)
            .GroupBy(e => TimeBuckets.Floor(e.CreatedAt, granularity)).Select(g => new StatisticsPoint(g.Key, g.Count(), g.Count(e => e.Winner))).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, series);
    }

    [Fact]
    public async Task An_empty_range_asks_no_store_and_a_reversed_one_is_an_argument_error()
    {
        _world.AddCampaign(1, 10);
        var at = new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);
        var queries = Queries();
        Assert.Empty(await queries.StatisticsAsync(1, Granularity.Hour, at, at));
        Assert.Empty(await queries.VoteSeriesAsync(1, Granularity.Hour, at, at));
        Assert.Equal(0, _world.Live.Calls);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => queries.StatisticsAsync(1, Granularity.Hour, at, at.AddTicks(-1)));
        Assert.Contains("ends", error.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queries.StatisticsAsync(1, (Granularity)9, at, at.AddHours(1)));
    }

    [Fact]
    public async Task Vote_totals_and_series_route_like_entries()
    {
        _world.Archived[5] = true;
        var at = new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);
        _world.Votes.AddRange([(1, 5, "yes", at), (2, 5, "Yes", at.AddMinutes(1)), (3, 5, "yes", at.AddHours(1))]);
        var queries = Queries();

        Assert.Equal([new ChoiceVotes("Yes", 1), new ChoiceVotes("yes", 2)], await queries.VoteTotalsAsync(5));
        var series = await queries.VoteSeriesAsync(5, Granularity.Hour, at, at.AddHours(2));
        Assert.Equal([(at, 2L), (at.AddHours(1), 1L)], series.Select(b => (b.BucketStart, b.Votes)));
        Assert.Equal(2, _world.Archive.Calls);
    }

    private sealed class PageComparer : IEqualityComparer<Page<ContestEntry>>
    {
        public static readonly PageComparer Instance = new();

        public bool Equals(Page<ContestEntry>? x, Page<ContestEntry>? y) =>
            x is not null && y is not null && x.Items.SequenceEqual(y.Items) && (x.CurrentPage, x.PerPage, x.TotalEntries, x.TotalPages, x.NextToken) == (y.CurrentPage, y.PerPage, y.TotalEntries, y.TotalPages, y.NextToken);

        public int GetHashCode(Page<ContestEntry> obj) => obj.CurrentPage;
    }
}
