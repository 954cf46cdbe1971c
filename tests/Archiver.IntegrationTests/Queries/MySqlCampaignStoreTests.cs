using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql.Demo;
using Archiver.MySql.Queries;
using Archiver.Queries;
using MySqlConnector;

namespace Archiver.IntegrationTests.Queries;

/// <summary>
/// The live store against real MariaDB: every answer equals the same computation in LINQ over the
/// seeded rows, and a campaign flagged and purged while it is read is answered whole or not at all.
/// </summary>
public sealed class MySqlCampaignStoreTests : DatabaseTest
{
    private static readonly DateTime Start = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Rows exactly on boundaries the statistics tests cut at (day, hour and minute at once), and one a millisecond before one.</summary>
    private static readonly DateTime[] Boundaries =
        [new(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), new(2026, 3, 2, 13, 0, 0, DateTimeKind.Utc), new(2026, 3, 2, 12, 59, 59, 999, DateTimeKind.Utc), new(2026, 3, 3, 0, 0, 0, DateTimeKind.Utc)];

    private static readonly string[] Choices = ["Yes", "yes", "Yes ", "a", "a ", "🍕 pizza", "Ä", "A", "ä"];

    private long _contest;
    private long _other;
    private long _archived;
    private long _vote;
    private List<ContestEntry> _entries = [];
    private List<VoteRow> _votes = [];

    private MySqlCampaignStore Store(QueryOptions? options = null) => new(Db.DataSource, Microsoft.Extensions.Options.Options.Create(options ?? new QueryOptions()));

    private List<ContestEntry> EntriesOf(long campaignId, EntryFilter filter = EntryFilter.All) =>
        [.. _entries.Where(e => e.CampaignId == campaignId && filter switch
        {
            EntryFilter.Winners => e.Winner,
            EntryFilter.NonWinners => !e.Winner,
            _ => true,
        }).OrderBy(e => e.Id)];

    /// <summary>
    /// Three contests whose rows interleave in id order (one archived) and a vote campaign: NULL
    /// users and messages, emoji, ties in created_at, rows on bucket boundaries, choices that differ
    /// only in case, trailing space or normalisation.
    /// </summary>
    protected override async Task InitializeDatabasesAsync()
    {
        _contest = await Db.AddCompletedCampaignAsync();
        _other = await Db.AddCompletedCampaignAsync();
        _archived = await Db.AddCampaignAsync(TimeSpan.FromDays(3), archived: true);
        _vote = await Db.AddCompletedCampaignAsync("vote");

        var rows = new List<EntryRow>();
        var time = Start;
        for (var i = 1; i <= 3000; i++)
        {
            // Every fifth row shares its predecessor's millisecond; the rest advance by an uneven step.
            if (i % 5 != 0)
            {
                time = time.AddMilliseconds(97_003 + (i % 7 * 13));
            }

            rows.Add(new EntryRow
            {
                Id = i * 2,
                CampaignId = (i % 3) switch { 0 => _other, 1 => _contest, _ => i % 2 == 0 ? _archived : _contest },
                UserId = i % 11 == 0 ? null : 100 + (i % 17),
                EntryNumber = i,
                Winner = i % 7 == 0,
                Message = i % 13 == 0 ? null : $"entry {i} 🎉 ü",
                CreatedAt = time,
            });
        }

        var id = 10_000;
        foreach (var boundary in Boundaries)
        {
            rows.Add(new EntryRow { Id = ++id, CampaignId = _contest, UserId = 7, EntryNumber = id, Winner = true, Message = "on a boundary", CreatedAt = boundary });
        }

        await Db.AddEntriesAsync(rows);
        _entries = [.. rows.Select(r => new ContestEntry(r.Id, r.CampaignId, r.UserId, r.EntryNumber, r.Winner, r.Message, DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc)))];

        _votes = [.. Enumerable.Range(1, 2000).Select(i => new VoteRow
        {
            CampaignId = i % 10 == 0 ? _other : _vote,
            UserId = i % 9 == 0 ? null : 500 + i,
            Choice = Choices[((i * 7) + (i / 13)) % Choices.Length],
            CreatedAt = Start.AddMilliseconds((2000 - i) * 61_007L),
        })];
        _votes.AddRange(Boundaries.Select(b => new VoteRow { CampaignId = _vote, UserId = 1, Choice = "yes", CreatedAt = b }));
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await RowInserter.InsertVotesAsync(connection, _votes);
    }

    [Theory]
    [InlineData(EntryFilter.All)]
    [InlineData(EntryFilter.Winners)]
    [InlineData(EntryFilter.NonWinners)]
    public async Task All_entries_of_a_filter_come_in_id_order_with_their_total_nulls_and_UTC_milliseconds(EntryFilter filter)
    {
        var expected = EntriesOf(_contest, filter);

        var slice = await Store().ReadEntriesAsync(_contest, filter, EntrySeek.Start, null, withTotal: true, CancellationToken.None);

        Assert.Equal(expected.Count, slice.Total);
        Assert.Equal(expected, slice.Items);
        Assert.All(slice.Items, e => Assert.Equal(DateTimeKind.Utc, e.CreatedAt.Kind));
        Assert.Contains(slice.Items, e => e.UserId is null);
        Assert.Contains(slice.Items, e => e.Message is null);
        Assert.Contains(slice.Items, e => e.CreatedAt.Millisecond != 0);
        Assert.Contains(slice.Items, e => e.Message is { } m && m.Contains("🎉", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(EntryFilter.All)]
    [InlineData(EntryFilter.Winners)]
    [InlineData(EntryFilter.NonWinners)]
    public async Task Offset_pages_equal_skip_and_take_over_every_row_including_past_the_end(EntryFilter filter)
    {
        var expected = EntriesOf(_contest, filter);
        var store = Store();
        foreach (var offset in new long[] { 0, 1, 37, 100, expected.Count - 1, expected.Count, expected.Count + 50 })
        {
            foreach (var limit in new int?[] { 0, 1, 25, 1000, null })
            {
                var slice = await store.ReadEntriesAsync(_contest, filter, EntrySeek.AtOffset(offset), limit, withTotal: offset == 37, CancellationToken.None);

                Assert.Equal(expected.Skip((int)offset).Take(limit ?? int.MaxValue).ToList(), slice.Items);
                Assert.Equal(offset == 37 ? expected.Count : -1, slice.Total);
            }
        }
    }

    [Theory]
    [InlineData(EntryFilter.All)]
    [InlineData(EntryFilter.Winners)]
    [InlineData(EntryFilter.NonWinners)]
    public async Task Keyset_reads_start_after_the_id_given_even_one_outside_the_filter(EntryFilter filter)
    {
        var expected = EntriesOf(_contest, filter);
        var foreign = EntriesOf(_other)[10].Id;
        var store = Store();
        foreach (var after in new[] { 0, expected[0].Id, expected[expected.Count / 2].Id, foreign, expected[^1].Id, long.MaxValue })
        {
            foreach (var limit in new int?[] { 1, 50, null })
            {
                // The offset is ignored once an id is given.
                var slice = await store.ReadEntriesAsync(_contest, filter, new EntrySeek(5, after), limit, withTotal: true, CancellationToken.None);

                Assert.Equal(expected.Where(e => e.Id > after).Take(limit ?? int.MaxValue).ToList(), slice.Items);
                Assert.Equal(expected.Count, slice.Total);
            }
        }
    }

    [Fact]
    public async Task Paging_by_keyset_covers_the_campaign_exactly_once()
    {
        var store = Store();
        var read = new List<ContestEntry>();
        var seek = EntrySeek.Start;
        while (true)
        {
            var slice = await store.ReadEntriesAsync(_contest, EntryFilter.All, seek, 333, withTotal: false, CancellationToken.None);
            read.AddRange(slice.Items);
            if (slice.Items.Count < 333)
            {
                break;
            }

            seek = EntrySeek.After(slice.Items[^1].Id);
        }

        Assert.Equal(EntriesOf(_contest), read);
    }

    [Fact]
    public async Task An_archived_campaign_throws_CampaignArchivedException_from_every_read()
    {
        var store = Store();
        var day = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(_archived, (await Assert.ThrowsAsync<CampaignArchivedException>(() =>
            store.ReadEntriesAsync(_archived, EntryFilter.All, EntrySeek.Start, null, true, CancellationToken.None))).CampaignId);
        await Assert.ThrowsAsync<CampaignArchivedException>(() => store.ReadEntriesAsync(_archived, EntryFilter.Winners, EntrySeek.AtOffset(3), 5, false, CancellationToken.None));
        await Assert.ThrowsAsync<CampaignArchivedException>(() => store.StatisticsAsync(_archived, Granularity.Hour, day, day.AddDays(5), CancellationToken.None));
        await Assert.ThrowsAsync<CampaignArchivedException>(() => store.VoteTotalsAsync(_archived, CancellationToken.None));
        await Assert.ThrowsAsync<CampaignArchivedException>(() => store.VoteSeriesAsync(_archived, Granularity.Day, day, day.AddDays(5), CancellationToken.None));

        // The connection's snapshot was ended: the next read on the pool sees a fresh one.
        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0 WHERE id = @c", new { c = _archived });
        Assert.Equal(EntriesOf(_archived), (await store.ReadEntriesAsync(_archived, EntryFilter.All, EntrySeek.Start, null, false, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task An_unknown_campaign_throws_CampaignNotFoundException_from_every_read()
    {
        var store = Store();
        const long missing = 987_654;
        var day = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(missing, (await Assert.ThrowsAsync<CampaignNotFoundException>(() =>
            store.ReadEntriesAsync(missing, EntryFilter.All, EntrySeek.Start, 10, true, CancellationToken.None))).CampaignId);
        await Assert.ThrowsAsync<CampaignNotFoundException>(() => store.StatisticsAsync(missing, Granularity.Minute, day, day.AddDays(1), CancellationToken.None));
        await Assert.ThrowsAsync<CampaignNotFoundException>(() => store.VoteTotalsAsync(missing, CancellationToken.None));
        await Assert.ThrowsAsync<CampaignNotFoundException>(() => store.VoteSeriesAsync(missing, Granularity.Minute, day, day.AddDays(1), CancellationToken.None));
    }

    [Theory]
    [InlineData(Granularity.Minute)]
    [InlineData(Granularity.Hour)]
    [InlineData(Granularity.Day)]
    public async Task Statistics_per_bucket_equal_LINQ_over_the_rows_with_since_inclusive_and_until_exclusive(Granularity granularity)
    {
        var store = Store();
        var rows = EntriesOf(_contest);
        var ranges = new List<(DateTime Since, DateTime Until)>
        {
            (TimeBuckets.Floor(rows.Min(r => r.CreatedAt), Granularity.Day), TimeBuckets.Floor(rows.Max(r => r.CreatedAt), Granularity.Day).AddDays(1)),
            (Boundaries[0], granularity == Granularity.Day ? Boundaries[3] : Boundaries[1]),
            (Boundaries[0], Boundaries[0]),
            (new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2020, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
        };
        foreach (var (since, until) in ranges)
        {
            var expected = rows.Where(r => r.CreatedAt >= since && r.CreatedAt < until)
                .GroupBy(r => TimeBuckets.Floor(r.CreatedAt, granularity))
                .OrderBy(g => g.Key)
                .Select(g => new StatisticsPoint(g.Key, g.Count(), g.Count(r => r.Winner)))
                .ToList();

            var actual = await store.StatisticsAsync(_contest, granularity, since, until, CancellationToken.None);

            Assert.Equal(expected, actual);
            Assert.All(actual, p => Assert.Equal(DateTimeKind.Utc, p.BucketStart.Kind));
        }

        // The rows on the cut: the one at since counts, the one at until does not, the one a millisecond before until does.
        var cut = granularity == Granularity.Day ? Boundaries[3] : Boundaries[1];
        var inside = await store.StatisticsAsync(_contest, granularity, Boundaries[0], cut, CancellationToken.None);
        Assert.Equal(Boundaries[0], inside[0].BucketStart);
        Assert.Equal(TimeBuckets.Floor(cut.AddMilliseconds(-1), granularity), inside[^1].BucketStart);
        Assert.Equal(rows.Count(r => r.CreatedAt >= Boundaries[0] && r.CreatedAt < cut), inside.Sum(p => p.Count));
        Assert.True(inside.Count > (granularity == Granularity.Day ? 0 : 5), "too few buckets to compare");
    }

    [Fact]
    public async Task Vote_totals_count_choices_byte_for_byte_in_ordinal_order()
    {
        var expected = _votes.Where(v => v.CampaignId == _vote)
            .GroupBy(v => v.Choice, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChoiceVotes(g.Key, g.Count()))
            .ToList();

        var actual = await Store().VoteTotalsAsync(_vote, CancellationToken.None);

        Assert.Equal(expected, actual);
        Assert.Equal(Choices.Order(StringComparer.Ordinal), actual.Select(c => c.Choice));
        Assert.Contains(actual, c => c.Choice == "Yes ");
        Assert.Contains(actual, c => c.Choice == "🍕 pizza");
    }

    [Theory]
    [InlineData(Granularity.Minute)]
    [InlineData(Granularity.Hour)]
    [InlineData(Granularity.Day)]
    public async Task Vote_series_per_bucket_and_choice_equal_LINQ_over_the_rows(Granularity granularity)
    {
        var votes = _votes.Where(v => v.CampaignId == _vote).Select(v => (v.Choice, At: DateTime.SpecifyKind(v.CreatedAt, DateTimeKind.Utc))).ToList();
        var since = Boundaries[0];
        foreach (var until in new[] { Boundaries[1], Boundaries[3], since.AddDays(30) })
        {
            var expected = votes.Where(v => v.At >= since && v.At < until)
                .GroupBy(v => TimeBuckets.Floor(v.At, granularity))
                .OrderBy(g => g.Key)
                .Select(g => (g.Key, g.Count(), string.Join("|", g.GroupBy(v => v.Choice, StringComparer.Ordinal).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Count()}"))))
                .ToList();

            var actual = await Store().VoteSeriesAsync(_vote, granularity, since, until, CancellationToken.None);

            Assert.Equal(expected, actual.Select(b => (b.BucketStart, (int)b.Votes, string.Join("|", b.Choices.Select(c => $"{c.Choice}={c.Votes}")))).ToList());
            Assert.All(actual, b => Assert.Equal(b.Votes, b.Choices.Sum(c => c.Votes)));
            Assert.All(actual, b => Assert.Equal(DateTimeKind.Utc, b.BucketStart.Kind));
            Assert.Equal(since, actual[0].BucketStart);
        }
    }

    [Fact]
    public async Task A_users_live_entries_leave_out_archived_campaigns_and_come_in_key_order_through_ties()
    {
        // Same millisecond in two campaigns and twice in one: the key orders them by campaign, then id, both descending.
        var tie = new DateTime(2026, 4, 1, 12, 0, 0, 123, DateTimeKind.Utc);
        await Db.AddEntriesAsync(
        [
            new EntryRow { Id = 20_001, CampaignId = _contest, UserId = 4242, EntryNumber = 1, Message = null, CreatedAt = tie },
            new EntryRow { Id = 20_002, CampaignId = _other, UserId = 4242, EntryNumber = 1, Message = "x", CreatedAt = tie },
            new EntryRow { Id = 20_003, CampaignId = _contest, UserId = 4242, EntryNumber = 2, Winner = true, Message = "y", CreatedAt = tie },
            new EntryRow { Id = 20_004, CampaignId = _archived, UserId = 4242, EntryNumber = 1, Message = "archived", CreatedAt = tie },
            new EntryRow { Id = 20_005, CampaignId = _contest, UserId = 4242, EntryNumber = 3, Message = "older", CreatedAt = tie.AddMilliseconds(-1) },
            new EntryRow { Id = 20_000, CampaignId = _other, UserId = 4242, EntryNumber = 2, Message = "newer", CreatedAt = tie.AddMilliseconds(1) },
            new EntryRow { Id = 20_006, CampaignId = _contest, UserId = 4243, EntryNumber = 4, Message = "someone else", CreatedAt = tie },
        ]);

        var entries = await Store().LiveUserEntriesAsync(4242, CancellationToken.None);

        Assert.Equal([20_000, 20_002, 20_003, 20_001, 20_005], entries.Select(e => e.Id));
        Assert.Equal(entries.Select(UserEntryKey.Of).Order().ToList(), entries.Select(UserEntryKey.Of).ToList());
        Assert.Null(entries.Single(e => e.Id == 20_001).Message);

        // A seeded user, across the two live contests and the archived one.
        var user = 105;
        var expected = _entries.Where(e => e.UserId == user && e.CampaignId != _archived).OrderBy(UserEntryKey.Of).ToList();
        Assert.Contains(_entries, e => e.UserId == user && e.CampaignId == _archived);
        Assert.Equal(expected, await Store().LiveUserEntriesAsync(user, CancellationToken.None));
        Assert.Empty(await Store().LiveUserEntriesAsync(999_999, CancellationToken.None));
    }

    [Fact]
    public async Task Archived_flags_cover_existing_campaigns_of_a_long_list_and_leave_out_missing_ones()
    {
        var ids = Enumerable.Range(1, 2500).Select(i => (long)i * 1000).Concat([_contest, _other, _archived, _vote, _contest]).ToList();

        var flags = await Store().ArchivedFlagsAsync(ids, CancellationToken.None);

        Assert.Equal(
            new Dictionary<long, bool> { [_contest] = false, [_other] = false, [_archived] = true, [_vote] = false }.OrderBy(f => f.Key),
            flags.OrderBy(f => f.Key));
        Assert.Empty(await Store().ArchivedFlagsAsync([], CancellationToken.None));
    }

    [Theory]
    [InlineData("entries")]
    [InlineData("statistics")]
    [InlineData("vote totals")]
    [InlineData("vote series")]
    public async Task A_campaign_flagged_and_purged_after_its_flag_was_read_is_still_answered_whole_from_the_snapshot(string read)
    {
        var store = Store();
        var since = Start;
        var until = Start.AddDays(10);
        Func<long, Task<object>> query = read switch
        {
            "entries" => async c => await store.ReadEntriesAsync(c, EntryFilter.All, EntrySeek.AtOffset(0), null, true, CancellationToken.None),
            "statistics" => async c => await store.StatisticsAsync(c, Granularity.Hour, since, until, CancellationToken.None),
            "vote totals" => async c => await store.VoteTotalsAsync(c, CancellationToken.None),
            _ => async c => await store.VoteSeriesAsync(c, Granularity.Hour, since, until, CancellationToken.None),
        };
        var campaign = read.StartsWith("vote", StringComparison.Ordinal) ? _vote : _contest;
        var before = Describe(await query(campaign));

        // What a purge does, committed from other connections between the flag and the rows.
        var purged = 0;
        store.AfterFlagRead = async (c, ct) =>
        {
            await Db.ExecuteAsync("UPDATE campaigns SET archived = 1, archived_at = UTC_TIMESTAMP(3) WHERE id = @c", new { c });
            purged += await Db.ExecuteAsync("DELETE FROM contest_campaign_entries WHERE campaign_id = @c", new { c });
            purged += await Db.ExecuteAsync("DELETE FROM vote_campaign_votes WHERE campaign_id = @c", new { c });
        };
        var during = Describe(await query(campaign));
        store.AfterFlagRead = null;

        Assert.True(purged > 0);
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM contest_campaign_entries WHERE campaign_id = @c", new { c = campaign })
            + await Db.ScalarAsync<long>("SELECT COUNT(*) FROM vote_campaign_votes WHERE campaign_id = @c", new { c = campaign }));
        Assert.Equal(before, during);
        await Assert.ThrowsAsync<CampaignArchivedException>(() => query(campaign));
    }

    [Fact]
    public async Task Reads_racing_a_flag_and_chunked_purge_are_either_whole_or_archived_never_partial()
    {
        var store = Store();
        var expected = EntriesOf(_contest);
        var hours = await store.StatisticsAsync(_contest, Granularity.Hour, Start, Start.AddDays(10), CancellationToken.None);
        var whole = 0;
        var archived = 0;
        using var done = new CancellationTokenSource();

        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                try
                {
                    var slice = await store.ReadEntriesAsync(_contest, EntryFilter.All, EntrySeek.Start, null, true, CancellationToken.None);
                    Assert.Equal(expected.Count, slice.Total);
                    Assert.Equal(expected, slice.Items);
                    Assert.Equal(hours, await store.StatisticsAsync(_contest, Granularity.Hour, Start, Start.AddDays(10), CancellationToken.None));
                    Interlocked.Increment(ref whole);
                }
                catch (CampaignArchivedException)
                {
                    Interlocked.Increment(ref archived);
                }
            }
        });

        // Let a few whole answers through, then flag and delete in chunks as the purge does.
        while (Volatile.Read(ref whole) < 3 && !reader.IsCompleted)
        {
            await Task.Delay(5);
        }

        await Db.ExecuteAsync("UPDATE campaigns SET archived = 1 WHERE id = @c", new { c = _contest });
        while (await Db.ExecuteAsync("DELETE FROM contest_campaign_entries WHERE campaign_id = @c ORDER BY id LIMIT 50", new { c = _contest }) > 0)
        {
            await Task.Delay(2);
        }

        await Task.Delay(50);
        await done.CancelAsync();
        await reader;

        Assert.True(whole >= 3, $"{whole} whole answers");
        Assert.True(archived > 0, $"{archived} archived answers");
    }

    [Fact]
    public async Task A_read_that_fails_or_finds_the_campaign_archived_ends_its_transaction_before_the_connection_goes_back_to_the_pool()
    {
        // One pooled session, not reset when it is handed out again: it shows what the store left behind.
        await using var dataSource = Archiver.MySql.MySqlDataSourceFactory.Create(Db.ConnectionString + ";Maximum Pool Size=1;Connection Reset=false");
        var store = new MySqlCampaignStore(dataSource, Microsoft.Extensions.Options.Options.Create(new QueryOptions()));
        var broken = new MySqlCampaignStore(dataSource, Microsoft.Extensions.Options.Options.Create(new QueryOptions { VotesTable = "no_such_table" }));
        using var cancelled = new CancellationTokenSource();
        store.AfterFlagRead = async (_, _) => await cancelled.CancelAsync();

        var failures = new Func<Task>[]
        {
            () => store.VoteTotalsAsync(_archived, CancellationToken.None),
            () => store.VoteTotalsAsync(987_654, CancellationToken.None),
            () => broken.VoteTotalsAsync(_vote, CancellationToken.None),
            () => store.VoteTotalsAsync(_vote, cancelled.Token),
        };
        long? session = null;
        foreach (var failure in failures)
        {
            await Assert.ThrowsAnyAsync<Exception>(failure);
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new MySqlCommand("SELECT CONNECTION_ID(), @@in_transaction", connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            session ??= reader.GetInt64(0);
            Assert.Equal(session, reader.GetInt64(0));
            Assert.Equal(0L, Convert.ToInt64(reader.GetValue(1)));
        }
    }

    [Theory]
    [InlineData(EntryFilter.All)]
    [InlineData(EntryFilter.NonWinners)]
    public async Task Keyset_and_offset_pages_deep_in_a_large_campaign_seek_on_the_index_instead_of_walking_or_sorting_it(EntryFilter filter)
    {
        // MariaDB's handler counters, read on the store's own session: one pooled session, never reset.
        var big = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(big, 20_000);
        await using var dataSource = Archiver.MySql.MySqlDataSourceFactory.Create(Db.ConnectionString + ";Maximum Pool Size=1;Connection Reset=false");
        var store = new MySqlCampaignStore(dataSource, Microsoft.Extensions.Options.Options.Create(new QueryOptions()));
        async Task<Dictionary<string, long>> CountersAsync()
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new MySqlCommand("SHOW SESSION STATUS WHERE Variable_name IN ('Handler_read_next', 'Handler_icp_attempts', 'Sort_rows')", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var counters = new Dictionary<string, long>();
            while (await reader.ReadAsync())
            {
                counters[reader.GetString(0)] = long.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture);
            }

            return counters;
        }

        var ids = (await store.ReadEntriesAsync(big, filter, EntrySeek.Start, null, false, CancellationToken.None)).Items.Select(e => e.Id).ToList();

        var before = await CountersAsync();
        var keyset = await store.ReadEntriesAsync(big, filter, EntrySeek.After(ids[ids.Count / 2]), 10, false, CancellationToken.None);
        var afterKeyset = await CountersAsync();
        var offset = await store.ReadEntriesAsync(big, filter, EntrySeek.AtOffset(ids.Count / 2), 10, false, CancellationToken.None);
        var afterOffset = await CountersAsync();

        Assert.Equal(ids.Skip((ids.Count / 2) + 1).Take(10), keyset.Items.Select(e => e.Id));
        Assert.Equal(ids.Skip(ids.Count / 2).Take(10), offset.Items.Select(e => e.Id));
        long Delta(Dictionary<string, long> from, Dictionary<string, long> to, string name) => to[name] - from[name];

        // A keyset page reads about its own rows, not the half of the campaign before them.
        Assert.InRange(Delta(before, afterKeyset, "Handler_icp_attempts") + Delta(before, afterKeyset, "Handler_read_next"), 0, 100);

        // An offset walks index entries (no sort of the campaign's ids; the page's ten are sorted for the join).
        Assert.InRange(Delta(afterKeyset, afterOffset, "Sort_rows"), 0, 100);
        Assert.InRange(Delta(afterKeyset, afterOffset, "Handler_read_next"), ids.Count / 2, (ids.Count / 2) + 100);
    }

    [Fact]
    public async Task A_driver_error_names_the_read_and_campaign_and_a_bad_table_name_is_a_configuration_error()
    {
        var store = Store(new QueryOptions { EntriesTable = "no_such_table" });

        var error = await Assert.ThrowsAsync<ArchiveSourceException>(() =>
            store.ReadEntriesAsync(_contest, EntryFilter.All, EntrySeek.Start, 10, false, CancellationToken.None));
        Assert.StartsWith($"MySQL error while reading the entries of campaign {_contest}: ", error.Message);
        Assert.IsType<MySqlException>(error.InnerException);

        Assert.Contains("Queries:VotesTable 'votes; DROP TABLE x' is not a plain MySQL identifier",
            Assert.Throws<ArchiverConfigurationException>(() => Store(new QueryOptions { VotesTable = "votes; DROP TABLE x" })).Message);
    }

    [Fact]
    public async Task A_cancelled_read_throws_OperationCanceledException()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Store().ReadEntriesAsync(_contest, EntryFilter.All, EntrySeek.Start, null, true, cancelled.Token));

        // Cancelled while the snapshot is open, between the flag and the rows.
        using var later = new CancellationTokenSource();
        var store = Store();
        store.AfterFlagRead = async (_, _) => await later.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.VoteTotalsAsync(_vote, later.Token));
    }

    private static string Describe(object answer) => answer switch
    {
        EntrySlice slice => $"{slice.Total}: {string.Join(",", slice.Items.Select(e => e.Id))}",
        IEnumerable<StatisticsPoint> points => string.Join(",", points),
        IEnumerable<ChoiceVotes> votes => string.Join(",", votes),
        IEnumerable<VoteBucket> buckets => string.Join(",", buckets.Select(b => $"{b.BucketStart:O}={b.Votes}[{string.Join(",", b.Choices)}]")),
        _ => throw new ArgumentException("unknown answer", nameof(answer)),
    };
}
