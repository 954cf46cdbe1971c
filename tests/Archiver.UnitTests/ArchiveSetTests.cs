using Archiver.Sets;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests;

public sealed class ArchiveSetTests
{
    private const string Columns = "(columns: id, campaign_id, user_id, entry_number, winner, message, created_at)";

    private static ArchiverConfigurationException Refused(Action<ArchiveSetOptions> change)
    {
        var options = TestSets.EntryOptions();
        change(options);
        return Assert.Throws<ArchiverConfigurationException>(() => new ArchiveSet(options, TestSets.EntryColumns));
    }

    [Fact]
    public void The_shipped_sets_resolve_their_columns_and_measures()
    {
        var entries = TestSets.Entries;
        var votes = TestSets.Votes;

        Assert.Equal((0, 1, 6), (entries.KeyIndex, entries.CampaignIndex, entries.TimestampIndex));
        Assert.Equal([new RollupMeasure("count", MeasureKind.Count, -1), new RollupMeasure("winners", MeasureKind.Sum, 4)], entries.Measures);
        Assert.Equal((0, 1, 4), (votes.KeyIndex, votes.CampaignIndex, votes.TimestampIndex));
        Assert.Equal([new RollupMeasure("count", MeasureKind.Count, -1), new RollupMeasure("choices", MeasureKind.CountBy, 3)], votes.Measures);
        Assert.Equal("contest_campaign_entries", entries.Table);
        Assert.Equal("contest_campaign_entry", entries.Type);
        Assert.Equal("contest_campaign_entries_archive", entries.Database);
        Assert.Equal("vote_campaign_votes", votes.ToString());
        Assert.Same(TestSets.EntryColumns, entries.Columns);
    }

    [Fact]
    public void Column_names_match_case_insensitively()
    {
        var options = TestSets.EntryOptions();
        options.PrimaryKey = "ID";
        options.CampaignColumn = "Campaign_Id";
        options.TimestampColumn = "CREATED_AT";
        options.Measures[1].Column = "Winner";

        var set = new ArchiveSet(options, TestSets.EntryColumns);

        Assert.Equal((0, 1, 6), (set.KeyIndex, set.CampaignIndex, set.TimestampIndex));
        Assert.Equal(4, set.Measures[1].ColumnIndex);
    }

    [Fact]
    public void A_missing_primary_key_column_is_named_with_the_columns()
    {
        var error = Refused(o => o.PrimaryKey = "entry_id");

        Assert.Equal($"archive set contest_campaign_entries: Archive:Sets PrimaryKey column entry_id does not exist {Columns}", error.Message);
    }

    [Fact]
    public void A_missing_campaign_column_is_named_with_the_columns()
    {
        var error = Refused(o => o.CampaignColumn = "campaign");

        Assert.Equal($"archive set contest_campaign_entries: Archive:Sets CampaignColumn column campaign does not exist {Columns}", error.Message);
    }

    [Fact]
    public void A_missing_timestamp_column_is_named_with_the_columns()
    {
        var error = Refused(o => o.TimestampColumn = "inserted_at");

        Assert.Equal($"archive set contest_campaign_entries: Archive:Sets TimestampColumn column inserted_at does not exist {Columns}", error.Message);
    }

    [Fact]
    public void A_missing_measure_column_is_named_with_the_columns()
    {
        var error = Refused(o => o.Measures[1].Column = "winners");

        Assert.Equal($"archive set contest_campaign_entries: measure winners column winners does not exist {Columns}", error.Message);
    }

    [Fact]
    public void A_timestamp_that_is_not_a_datetime_is_refused()
    {
        Assert.Equal(
            "archive set contest_campaign_entries: Archive:Sets TimestampColumn column message is varchar(480); it must be datetime",
            Refused(o => o.TimestampColumn = "message").Message);
        Assert.Equal(
            "archive set contest_campaign_entries: Archive:Sets TimestampColumn column entry_number is int(11); it must be datetime",
            Refused(o => o.TimestampColumn = "entry_number").Message);
    }

    [Fact]
    public void A_date_column_is_not_a_timestamp()
    {
        var options = TestSets.EntryOptions();
        options.TimestampColumn = "day";
        SourceColumn[] columns = [.. TestSets.EntryColumns, new("day", ColumnKind.Date, false, "date")];

        var error = Assert.Throws<ArchiverConfigurationException>(() => new ArchiveSet(options, columns));

        Assert.Equal("archive set contest_campaign_entries: Archive:Sets TimestampColumn column day is date; it must be datetime", error.Message);
    }

    [Fact]
    public void Key_and_campaign_columns_must_be_whole_numbers()
    {
        Assert.Equal(
            "archive set contest_campaign_entries: Archive:Sets PrimaryKey column winner is tinyint(1); it must be wholenumber",
            Refused(o => o.PrimaryKey = "winner").Message);
        Assert.Equal(
            "archive set contest_campaign_entries: Archive:Sets CampaignColumn column created_at is datetime(3); it must be wholenumber",
            Refused(o => o.CampaignColumn = "created_at").Message);
    }

    [Fact]
    public void A_sum_over_text_is_refused()
    {
        var error = Refused(o => o.Measures[1].Column = "message");

        Assert.Equal("archive set contest_campaign_entries: measure winners column message is varchar(480); it must be wholenumber or boolean", error.Message);
    }

    [Fact]
    public void A_count_by_over_a_datetime_is_refused()
    {
        var error = Refused(o => o.Measures.Add(new MeasureOptions { Name = "times", Kind = "CountBy", Column = "created_at" }));

        Assert.Equal("archive set contest_campaign_entries: measure times column created_at is datetime(3); it must be text or wholenumber or boolean", error.Message);
    }

    [Fact]
    public void A_nullable_primary_key_is_refused()
    {
        var error = Refused(o => o.PrimaryKey = "user_id");

        Assert.Equal("archive set contest_campaign_entries: primary key column user_id is nullable", error.Message);
    }

    [Fact]
    public void Sums_and_count_bys_accept_their_column_kinds()
    {
        var options = TestSets.EntryOptions();
        options.Measures.Add(new MeasureOptions { Name = "numbers", Kind = "Sum", Column = "entry_number" });
        options.Measures.Add(new MeasureOptions { Name = "by_user", Kind = "CountBy", Column = "user_id" });
        options.Measures.Add(new MeasureOptions { Name = "by_winner", Kind = "CountBy", Column = "winner" });
        options.Measures.Add(new MeasureOptions { Name = "by_message", Kind = "CountBy", Column = "message" });

        var set = new ArchiveSet(options, TestSets.EntryColumns);

        Assert.Equal(
            [
                new RollupMeasure("count", MeasureKind.Count, -1),
                new RollupMeasure("winners", MeasureKind.Sum, 4),
                new RollupMeasure("numbers", MeasureKind.Sum, 3),
                new RollupMeasure("by_user", MeasureKind.CountBy, 2),
                new RollupMeasure("by_winner", MeasureKind.CountBy, 4),
                new RollupMeasure("by_message", MeasureKind.CountBy, 5),
            ],
            set.Measures);
    }

    [Theory]
    [InlineData("Count", MeasureKind.Count)]
    [InlineData("count", MeasureKind.Count)]
    [InlineData("COUNT", MeasureKind.Count)]
    [InlineData("sum", MeasureKind.Sum)]
    [InlineData("SuM", MeasureKind.Sum)]
    [InlineData("countby", MeasureKind.CountBy)]
    [InlineData("COUNTBY", MeasureKind.CountBy)]
    [InlineData("CountBy", MeasureKind.CountBy)]
    public void Measure_kinds_are_parsed_case_insensitively(string text, MeasureKind kind)
    {
        Assert.Equal(kind, new MeasureOptions { Kind = text }.ParsedKind);
    }

    [Fact]
    public void A_set_resolves_measure_kinds_written_in_any_case()
    {
        var options = TestSets.VoteOptions();
        options.Measures[0].Kind = "COUNT";
        options.Measures[1].Kind = "countBy";

        var set = new ArchiveSet(options, TestSets.VoteColumns);

        Assert.Equal([new RollupMeasure("count", MeasureKind.Count, -1), new RollupMeasure("choices", MeasureKind.CountBy, 3)], set.Measures);
    }

    [Theory]
    [InlineData("Average")]
    [InlineData("")]
    [InlineData("Count By")]
    [InlineData("7")]
    [InlineData("-1")]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("Count,Sum")]
    [InlineData("Count, CountBy")]
    public void Unknown_measure_kinds_parse_to_null(string text)
    {
        Assert.Null(new MeasureOptions { Kind = text }.ParsedKind);
    }

    [Theory]
    [InlineData("type", "archive set contest_campaign_entries: column type would clash with the documents' type field; rename it or archive a view of the table")]
    [InlineData("_meta", "archive set contest_campaign_entries: column _meta would clash with CouchDB's reserved _ fields; rename it or archive a view of the table")]
    public void Columns_that_would_clash_with_document_fields_are_refused(string name, string message)
    {
        SourceColumn[] columns = [.. TestSets.EntryColumns, new(name, ColumnKind.Text, true, "varchar(10)", "utf8mb4")];

        var error = Assert.Throws<ArchiverConfigurationException>(() => new ArchiveSet(TestSets.EntryOptions(), columns));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_set_with_an_unknown_measure_kind_is_refused()
    {
        var error = Refused(o => o.Measures.Add(new MeasureOptions { Name = "mean", Kind = "Average", Column = "entry_number" }));

        Assert.Equal("archive set contest_campaign_entries: measure mean has Kind 'Average'; it must be Count, Sum or CountBy", error.Message);
    }
}
