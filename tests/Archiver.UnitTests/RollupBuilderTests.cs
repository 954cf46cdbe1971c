using Archiver.Documents;
using Archiver.Rollups;
using Archiver.Sets;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests;

public sealed class RollupBuilderTests
{
    private static readonly DateTime Ten = new(2026, 11, 20, 10, 0, 0);

    private static RowDocument Vote(long id, string? choice, DateTime at, ArchiveSet? set = null) =>
        RowDocument.Create(set ?? TestSets.Votes, [id, 7L, null, choice, at], 8_000_000);

    private static List<string> Json(IEnumerable<RollupDocument> rollups) => rollups.Select(TestJson.Write).ToList();

    private static RollupBuilder Build(ArchiveSet set, long campaignId, IEnumerable<RowDocument> rows)
    {
        var builder = new RollupBuilder(set, campaignId);
        foreach (var row in rows)
        {
            builder.Add(row);
        }

        return builder;
    }

    private static List<RowDocument> Entries() =>
    [
        TestSets.Entry(1, campaignId: 7, winner: true, createdAt: Ten.AddSeconds(1)),
        TestSets.Entry(2, campaignId: 7, winner: false, createdAt: Ten.AddSeconds(59)),
        TestSets.Entry(3, campaignId: 7, winner: true, createdAt: Ten.AddMinutes(1)),
        TestSets.Entry(4, campaignId: 7, winner: true, createdAt: Ten.AddMinutes(3).AddMilliseconds(5)),
        TestSets.Entry(5, campaignId: 7, winner: false, createdAt: Ten.AddMinutes(3).AddSeconds(30)),
        TestSets.Entry(6, campaignId: 7, winner: true, createdAt: Ten.AddMinutes(3).AddSeconds(59)),
        TestSets.Entry(7, campaignId: 7, winner: false, createdAt: Ten.AddSeconds(30)),
    ];

    [Fact]
    public void Entries_are_counted_per_minute_with_their_winners()
    {
        var builder = Build(TestSets.Entries, 7, Entries());

        Assert.Equal(7, builder.Rows);
        Assert.Equal(3, builder.Minutes);
        Assert.Equal(
            [
                """{"type":"rollup","set":"contest_campaign_entries","campaign_id":7,"minute":"2026-11-20T10:00Z","count":3,"winners":1}""",
                """{"type":"rollup","set":"contest_campaign_entries","campaign_id":7,"minute":"2026-11-20T10:01Z","count":1,"winners":1}""",
                """{"type":"rollup","set":"contest_campaign_entries","campaign_id":7,"minute":"2026-11-20T10:03Z","count":3,"winners":2}""",
            ],
            Json(builder.Build()));
    }

    [Fact]
    public void Rows_out_of_time_order_make_the_same_rollups_as_in_order()
    {
        var rows = Entries();
        var inOrder = Json(Build(TestSets.Entries, 7, rows.OrderBy(r => r.Timestamp)).Build());

        for (var seed = 1; seed <= 5; seed++)
        {
            var random = new Random(seed);
            var shuffled = rows.OrderBy(_ => random.Next()).ToList();
            Assert.Equal(inOrder, Json(Build(TestSets.Entries, 7, shuffled).Build()));
        }

        rows.Reverse();
        Assert.Equal(inOrder, Json(Build(TestSets.Entries, 7, rows).Build()));
    }

    [Fact]
    public void The_last_millisecond_of_a_minute_and_the_first_of_the_next_are_different_minutes()
    {
        var rollups = Build(TestSets.Entries, 7,
        [
            TestSets.Entry(1, campaignId: 7, createdAt: new DateTime(2026, 11, 20, 10, 0, 59, 999)),
            TestSets.Entry(2, campaignId: 7, createdAt: new DateTime(2026, 11, 20, 10, 1, 0, 0)),
            TestSets.Entry(3, campaignId: 7, createdAt: new DateTime(2026, 11, 20, 10, 1, 59, 999)),
            TestSets.Entry(4, campaignId: 7, createdAt: new DateTime(2026, 11, 20, 23, 59, 59, 999)),
            TestSets.Entry(5, campaignId: 7, createdAt: new DateTime(2026, 11, 21, 0, 0, 0, 0)),
        ]).Build();

        Assert.Equal(["2026-11-20T10:00Z", "2026-11-20T10:01Z", "2026-11-20T23:59Z", "2026-11-21T00:00Z"], rollups.Select(r => DocumentIds.RollupMinute(r.Minute)));
        Assert.Equal([1L, 2L, 1L, 1L], rollups.Select(r => r.Count));
        Assert.Equal(new DateTime(2026, 11, 20, 10, 1, 0, DateTimeKind.Utc), rollups[1].Minute);
        Assert.Equal(DateTimeKind.Utc, rollups[1].Minute.Kind);
    }

    [Fact]
    public void Winners_are_the_sum_of_the_boolean_column()
    {
        var rows = Enumerable.Range(1, 10).Select(i => TestSets.Entry(i, campaignId: 7, winner: i % 3 == 0, createdAt: Ten.AddSeconds(i)));

        var rollup = Assert.Single(Build(TestSets.Entries, 7, rows).Build());

        Assert.Equal("""{"type":"rollup","set":"contest_campaign_entries","campaign_id":7,"minute":"2026-11-20T10:00Z","count":10,"winners":3}""", TestJson.Write(rollup));
        Assert.Equal(10, rollup.Count);
    }

    [Fact]
    public void A_minute_without_winners_says_0()
    {
        var rollup = Assert.Single(Build(TestSets.Entries, 7, [TestSets.Entry(1, campaignId: 7, createdAt: Ten)]).Build());

        Assert.Equal("""{"type":"rollup","set":"contest_campaign_entries","campaign_id":7,"minute":"2026-11-20T10:00Z","count":1,"winners":0}""", TestJson.Write(rollup));
    }

    [Fact]
    public void Choices_are_counted_and_sorted_ordinally_including_emoji()
    {
        string[] choices = ["b", "😀", "a", "B", "é", "a", "🍀", "Z", "😀", "a b", "ab"];
        var rows = choices.Select((c, i) => Vote(i + 1, c, Ten.AddSeconds(i)));

        var rollup = Assert.Single(Build(TestSets.Votes, 7, rows).Build());

        Assert.Equal(
            """{"type":"rollup","set":"vote_campaign_votes","campaign_id":7,"minute":"2026-11-20T10:00Z","count":11,"choices":{"B":1,"Z":1,"a":2,"a b":1,"ab":1,"b":1,"é":1,"\uD83C\uDF40":1,"\uD83D\uDE00":2}}""",
            TestJson.Write(rollup));
    }

    [Fact]
    public void Count_by_ignores_nulls_and_writes_an_empty_object_for_a_minute_of_nulls()
    {
        var options = TestSets.VoteOptions();
        var set = new ArchiveSet(options,
        [
            new("id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("campaign_id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("user_id", ColumnKind.WholeNumber, true, "bigint(20)"),
            new("choice", ColumnKind.Text, true, "varchar(64)", "utf8mb4"),
            new("created_at", ColumnKind.DateTime, false, "datetime(3)"),
        ]);

        var rollups = Build(set, 7,
        [
            Vote(1, "red", Ten, set),
            Vote(2, null, Ten.AddSeconds(1), set),
            Vote(3, "red", Ten.AddSeconds(2), set),
            Vote(4, null, Ten.AddMinutes(1), set),
            Vote(5, "", Ten.AddSeconds(3), set),
        ]).Build();

        Assert.Equal(
            [
                """{"type":"rollup","set":"vote_campaign_votes","campaign_id":7,"minute":"2026-11-20T10:00Z","count":4,"choices":{"":1,"red":2}}""",
                """{"type":"rollup","set":"vote_campaign_votes","campaign_id":7,"minute":"2026-11-20T10:01Z","count":1,"choices":{}}""",
            ],
            Json(rollups));
    }

    [Fact]
    public void A_third_set_sums_an_integer_column_and_counts_by_integer_and_boolean_columns()
    {
        var options = new ArchiveSetOptions { Table = "donations", Type = "donation", Database = "donations_archive", TimestampColumn = "given_at" };
        options.Measures.Add(new MeasureOptions { Name = "count", Kind = "Count" });
        options.Measures.Add(new MeasureOptions { Name = "cents", Kind = "Sum", Column = "amount_cents" });
        options.Measures.Add(new MeasureOptions { Name = "by_tier", Kind = "CountBy", Column = "tier" });
        options.Measures.Add(new MeasureOptions { Name = "by_gift_aid", Kind = "CountBy", Column = "gift_aid" });
        var set = new ArchiveSet(options,
        [
            new("id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("campaign_id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("amount_cents", ColumnKind.WholeNumber, true, "int(11)"),
            new("tier", ColumnKind.WholeNumber, true, "int(11)"),
            new("gift_aid", ColumnKind.Boolean, false, "tinyint(1)"),
            new("given_at", ColumnKind.DateTime, false, "datetime(3)"),
        ]);
        RowDocument Donation(long id, long? cents, long? tier, bool giftAid, DateTime at) =>
            RowDocument.Create(set, [id, 3L, cents, tier, giftAid ? 1L : 0L, at], 8_000_000);

        var rollups = Build(set, 3,
        [
            Donation(1, 500, 10, true, Ten),
            Donation(2, -200, 2, false, Ten.AddSeconds(10)),
            Donation(3, null, 10, false, Ten.AddSeconds(20)),
            Donation(4, 9_007_199_254_740_991, null, true, Ten.AddMinutes(2)),
        ]).Build();

        Assert.Equal(
            [
                """{"type":"rollup","set":"donations","campaign_id":3,"minute":"2026-11-20T10:00Z","count":3,"cents":300,"by_tier":{"10":2,"2":1},"by_gift_aid":{"false":2,"true":1}}""",
                """{"type":"rollup","set":"donations","campaign_id":3,"minute":"2026-11-20T10:02Z","count":1,"cents":9007199254740991,"by_tier":{},"by_gift_aid":{"true":1}}""",
            ],
            Json(rollups));
        Assert.Equal("rollup:donations:0000000000000000003:2026-11-20T10:02Z", rollups[1].Id);
    }

    [Fact]
    public void Rollup_ids_name_the_set_the_campaign_and_the_minute()
    {
        var rollup = Assert.Single(Build(TestSets.Entries, 7, [TestSets.Entry(1, campaignId: 7, createdAt: new DateTime(2026, 1, 2, 3, 4, 5, 6))]).Build());

        Assert.Equal("rollup:contest_campaign_entries:0000000000000000007:2026-01-02T03:04Z", rollup.Id);
        Assert.Equal("rollup of contest_campaign_entries for campaign 7, minute 2026-01-02T03:04Z", rollup.Origin);
        Assert.Equal(7, rollup.CampaignId);
        Assert.Equal("rollup:vote_campaign_votes:0000001234567890123:2026-11-20T14:05Z", DocumentIds.ForRollup("vote_campaign_votes", 1_234_567_890_123, new DateTime(2026, 11, 20, 14, 5, 59, 999)));
    }

    [Fact]
    public void Build_lists_minutes_in_time_order()
    {
        int[] minutes = [5, 1, 59, 3, 0, 1440, 61];
        var rows = minutes.Select((m, i) => TestSets.Entry(i + 1, campaignId: 7, createdAt: Ten.AddMinutes(m)));

        var rollups = Build(TestSets.Entries, 7, rows).Build();

        Assert.Equal(
            ["2026-11-20T10:00Z", "2026-11-20T10:01Z", "2026-11-20T10:03Z", "2026-11-20T10:05Z", "2026-11-20T10:59Z", "2026-11-20T11:01Z", "2026-11-21T10:00Z"],
            rollups.Select(r => DocumentIds.RollupMinute(r.Minute)));
    }

    [Fact]
    public void An_empty_builder_builds_nothing()
    {
        var builder = new RollupBuilder(TestSets.Entries, 7);

        Assert.Empty(builder.Build());
        Assert.Equal(0, builder.Rows);
        Assert.Equal(0, builder.Minutes);
    }

    [Fact]
    public void Memory_grows_with_minutes_not_rows()
    {
        var builder = new RollupBuilder(TestSets.Entries, 7);
        for (var i = 0; i < 100_000; i++)
        {
            // 10 minutes of rows, interleaved so that every minute is revisited throughout.
            builder.Add(TestSets.Entry(i + 1, campaignId: 7, winner: i % 4 == 0, createdAt: Ten.AddMinutes(i % 10).AddMilliseconds(i / 10)));
        }

        Assert.Equal(100_000, builder.Rows);
        Assert.Equal(10, builder.Minutes);
        var rollups = builder.Build();
        Assert.Equal(10, rollups.Count);
        Assert.All(rollups, r => Assert.Equal(10_000, r.Count));
        Assert.Equal(
            """{"type":"rollup","set":"contest_campaign_entries","campaign_id":7,"minute":"2026-11-20T10:00Z","count":10000,"winners":5000}""",
            TestJson.Write(rollups[0]));
        Assert.Equal(
            """{"type":"rollup","set":"contest_campaign_entries","campaign_id":7,"minute":"2026-11-20T10:01Z","count":10000,"winners":0}""",
            TestJson.Write(rollups[1]));
    }
}
