using System.Text;
using System.Text.Json;
using Archiver.Documents;
using Archiver.Sets;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests;

public sealed class RowDocumentTests
{
    private const long Limit = 8_000_000;

    private static readonly DateTime At = new(2026, 11, 20, 14, 5, 9, 123);

    /// <summary>A table with one column of every kind; <c>created_at</c> is nullable so that a NULL timestamp can be read.</summary>
    private static readonly ArchiveSet Kinds = CreateKindsSet();

    private static ArchiveSet CreateKindsSet()
    {
        var options = new ArchiveSetOptions { Table = "kinds", Type = "kind_row", Database = "kinds_archive", TimestampColumn = "created_at" };
        options.Measures.Add(new MeasureOptions { Name = "count", Kind = "Count" });
        return new ArchiveSet(options,
        [
            new("id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("campaign_id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("flag", ColumnKind.Boolean, true, "tinyint(1)"),
            new("amount", ColumnKind.ExactDecimal, true, "decimal(30,10)"),
            new("ratio", ColumnKind.FloatingPoint, true, "double"),
            new("note", ColumnKind.Text, true, "text", "utf8mb4"),
            new("day", ColumnKind.Date, true, "date"),
            new("big", ColumnKind.WholeNumber, true, "bigint(20) unsigned"),
            new("created_at", ColumnKind.DateTime, true, "datetime(3)"),
        ]);
    }

    private static object?[] Raw() => [7L, 3L, 1L, "1.50", 0.5, "n", new DateOnly(2026, 11, 20), 5L, At];

    private static RowDocument With(int index, object? value)
    {
        var raw = Raw();
        raw[index] = value;
        return RowDocument.Create(Kinds, raw, Limit);
    }

    private static InvalidRowException Refused(int index, object? value) =>
        Assert.Throws<InvalidRowException>(() => With(index, value));

    [Theory]
    [InlineData("1795183509.123", "2026-11-20T14:05:09.123Z")]
    [InlineData("1795183509.000", "2026-11-20T14:05:09.000Z")]
    public void A_TIMESTAMP_read_as_seconds_since_the_epoch_is_written_in_UTC(string seconds, string expected)
    {
        var document = With(8, decimal.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, DocumentContent.Serialize(document).RootElement.GetProperty("created_at").GetString());
        Assert.Equal(DateTimeKind.Utc, document.Timestamp.Kind);
    }

    [Fact]
    public void The_zero_TIMESTAMP_is_refused_like_a_zero_DATETIME()
    {
        Assert.Equal("kinds id=7: column created_at holds the zero date 0000-00-00, which has no ISO-8601 form", Refused(8, 0m).Message);
    }

    [Fact]
    public void Every_kind_is_written_in_table_order_after_type()
    {
        var document = RowDocument.Create(Kinds, Raw(), Limit);

        Assert.Equal(
            """{"type":"kind_row","id":7,"campaign_id":3,"flag":true,"amount":"1.50","ratio":0.5,"note":"n","day":"2026-11-20","big":5,"created_at":"2026-11-20T14:05:09.123Z"}""",
            TestJson.Write(document));
        Assert.Equal("kinds:0000000000000000003:0000000000000000007", document.Id);
        Assert.Equal("kinds id=7", document.Origin);
        Assert.Equal(7, document.Key);
        Assert.Equal(3, document.CampaignId);
        Assert.Equal(At, document.Timestamp);
        Assert.Equal(DateTimeKind.Utc, document.Timestamp.Kind);
    }

    [Theory]
    [InlineData(0L, "false")]
    [InlineData(1L, "true")]
    [InlineData((sbyte)0, "false")]
    [InlineData((sbyte)1, "true")]
    [InlineData(false, "false")]
    [InlineData(true, "true")]
    [InlineData(1, "true")]
    public void Boolean_columns_map_0_and_1(object value, string json)
    {
        var document = With(2, value);

        Assert.Equal(json, TestJson.Field(document, "flag"));
        Assert.Equal(json == "true", document[2]);
    }

    [Theory]
    [InlineData(2L, "2")]
    [InlineData(-1L, "-1")]
    [InlineData((sbyte)-1, "-1")]
    [InlineData((sbyte)127, "127")]
    public void Boolean_columns_refuse_anything_but_0_and_1(object value, string shown)
    {
        var error = Refused(2, value);

        Assert.Equal("kinds", error.Table);
        Assert.Equal(7, error.Key);
        Assert.Equal("flag", error.Column);
        Assert.Equal($"kinds id=7: column flag holds {shown}; a tinyint(1) column is archived as a boolean, so only 0 and 1 are faithful", error.Message);
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(42, "42")]
    [InlineData((short)-5, "-5")]
    [InlineData(9_007_199_254_740_991L, "9007199254740991")]
    [InlineData(-9_007_199_254_740_991L, "-9007199254740991")]
    [InlineData(9_007_199_254_740_991UL, "9007199254740991")]
    [InlineData(0UL, "0")]
    [InlineData(4_294_967_295U, "4294967295")]
    public void Whole_numbers_within_2_pow_53_are_exact(object value, string json)
    {
        Assert.Equal(json, TestJson.Field(With(7, value), "big"));
    }

    [Theory]
    [InlineData(9_007_199_254_740_992L, "9007199254740992")]
    [InlineData(-9_007_199_254_740_992L, "-9007199254740992")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    [InlineData(9_007_199_254_740_992UL, "9007199254740992")]
    [InlineData(ulong.MaxValue, "18446744073709551615")]
    public void Whole_numbers_beyond_2_pow_53_are_refused(object value, string shown)
    {
        var error = Refused(7, value);

        Assert.Equal("big", error.Column);
        Assert.Equal(7, error.Key);
        Assert.Equal(
            $"kinds id=7: column big holds {shown}, beyond ±9007199254740991 (2^53 − 1), which JSON readers such as JavaScript views and pouchdb-server cannot represent exactly",
            error.Message);
    }

    [Theory]
    [InlineData(-1L, "kinds id=-1: column id is -1: only keys from 0 to 9007199254740991 can be archived (they are ordered and compared as JSON numbers)")]
    [InlineData(9_007_199_254_740_992L, "kinds id=9007199254740992: column id is 9007199254740992: only keys from 0 to 9007199254740991 can be archived (they are ordered and compared as JSON numbers)")]
    [InlineData(9_007_199_254_740_992UL, "kinds id=9007199254740992: column id is 9007199254740992: only keys from 0 to 9007199254740991 can be archived (they are ordered and compared as JSON numbers)")]
    [InlineData(ulong.MaxValue, "kinds id=0: column id is 18446744073709551615: only keys from 0 to 9007199254740991 can be archived (they are ordered and compared as JSON numbers)")]
    [InlineData(null, "kinds id=0: column id is NULL")]
    public void Negative_huge_or_null_primary_keys_are_refused(object? key, string message)
    {
        var error = Refused(0, key);

        Assert.Equal("id", error.Column);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(9_007_199_254_740_991L)]
    public void Primary_keys_from_0_to_2_pow_53_minus_1_are_accepted(long key)
    {
        var document = With(0, key);

        Assert.Equal(key, document.Key);
        Assert.Equal($"kinds:0000000000000000003:{key:D19}", document.Id);
    }

    [Theory]
    [InlineData(-1L, "is -1: a row needs a campaign id of 0 or more")]
    [InlineData(null, "is NULL: a row needs a campaign id of 0 or more")]
    public void Negative_or_null_campaigns_are_refused(object? campaign, string problem)
    {
        var error = Refused(1, campaign);

        Assert.Equal("campaign_id", error.Column);
        Assert.Equal($"kinds id=7: column campaign_id {problem}", error.Message);
    }

    [Fact]
    public void Decimals_are_passed_as_their_exact_digits()
    {
        Assert.Equal("\"12345678901234567890.0123456789\"", TestJson.Field(With(3, "12345678901234567890.0123456789"), "amount"));
        Assert.Equal("\"-0.0000000001\"", TestJson.Field(With(3, "-0.0000000001"), "amount"));
        Assert.Equal("\"1.50\"", TestJson.Field(With(3, 1.50m), "amount"));
    }

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(-3.0, "-3")]
    [InlineData(0.25f, "0.25")]
    public void Floating_point_columns_are_numbers(object value, string json)
    {
        var document = With(4, value);

        Assert.Equal(json, TestJson.Field(document, "ratio"));
        Assert.Equal(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), document[4]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Good luck! 🍀😀")]
    [InlineData("Café ☕ naïve")]
    [InlineData("quote \" backslash \\ newline \n tab \t <tag> & 'apostrophe'")]
    [InlineData("  padded  ")]
    public void Text_is_written_exactly(string text)
    {
        var document = With(5, text);

        using var parsed = JsonDocument.Parse(TestJson.Write(document));
        Assert.Equal(text, parsed.RootElement.GetProperty("note").GetString());
        Assert.Same(text, document[5]);
    }

    [Fact]
    public void Non_ascii_text_is_written_as_utf8_except_surrogate_pairs()
    {
        // The relaxed encoder leaves the Basic Multilingual Plane as UTF-8 but still escapes characters beyond it.
        Assert.Equal("\"Café ☕ \\uD83C\\uDF40\"", TestJson.Field(With(5, "Café ☕ 🍀"), "note"));
        Assert.Equal("\"\"", TestJson.Field(With(5, ""), "note"));
    }

    [Fact]
    public void Text_columns_refuse_values_that_are_not_strings()
    {
        var error = Refused(5, new byte[] { 1, 2 });

        Assert.Equal("kinds id=7: column note returned a Byte[], not text", error.Message);
    }

    [Fact]
    public void Null_and_dbnull_become_json_null()
    {
        foreach (var index in new[] { 2, 3, 4, 5, 6, 7 })
        {
            var name = Kinds.Columns[index].Name;
            Assert.Equal("null", TestJson.Field(With(index, null), name));
            Assert.Equal("null", TestJson.Field(With(index, DBNull.Value), name));
            Assert.Null(With(index, DBNull.Value)[index]);
        }
    }

    [Theory]
    [InlineData(DateTimeKind.Unspecified)]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Local)]
    public void Datetimes_are_iso_8601_utc_with_milliseconds_whatever_their_kind(DateTimeKind kind)
    {
        var document = With(8, DateTime.SpecifyKind(new DateTime(2026, 1, 2, 3, 4, 5, 6), kind));

        Assert.Equal("\"2026-01-02T03:04:05.006Z\"", TestJson.Field(document, "created_at"));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, 6, DateTimeKind.Utc), document.Timestamp);
    }

    [Fact]
    public void Datetimes_without_fraction_get_zero_milliseconds()
    {
        Assert.Equal("\"2026-12-31T23:59:59.000Z\"", TestJson.Field(With(8, new DateTime(2026, 12, 31, 23, 59, 59)), "created_at"));
    }

    [Fact]
    public void The_zero_date_is_refused()
    {
        var error = Refused(8, DateTime.MinValue);

        Assert.Equal("created_at", error.Column);
        Assert.Equal("kinds id=7: column created_at holds the zero date 0000-00-00, which has no ISO-8601 form", error.Message);
    }

    [Theory]
    [InlineData(10, "2026-11-20 14:05:09.123001")]
    [InlineData(9_990, "2026-11-20 14:05:09.123999")]
    [InlineData(1, "2026-11-20 14:05:09.123000")]
    public void Datetimes_finer_than_milliseconds_are_refused(long extraTicks, string shown)
    {
        var error = Refused(8, At.AddTicks(extraTicks));

        Assert.Equal($"kinds id=7: column created_at holds {shown}, finer than the archive's milliseconds", error.Message);
    }

    [Fact]
    public void Dates_are_written_as_days()
    {
        Assert.Equal("\"2026-11-20\"", TestJson.Field(With(6, new DateOnly(2026, 11, 20)), "day"));
        Assert.Equal("\"0001-01-02\"", TestJson.Field(With(6, new DateOnly(1, 1, 2)), "day"));
        Assert.Equal("\"2026-02-03\"", TestJson.Field(With(6, new DateTime(2026, 2, 3)), "day"));
    }

    [Fact]
    public void The_zero_date_is_refused_in_a_date_column()
    {
        Assert.Equal("kinds id=7: column day holds the zero date 0000-00-00, which has no ISO-8601 form", Refused(6, DateTime.MinValue).Message);
        Assert.Equal("kinds id=7: column day holds the zero date 0000-00-00, which has no ISO-8601 form", Refused(6, DateOnly.MinValue).Message);
    }

    [Fact]
    public void A_null_timestamp_is_refused_naming_the_timestamp_column()
    {
        var options = new ArchiveSetOptions { Table = "votes", Type = "vote", Database = "votes_archive", TimestampColumn = "voted_at" };
        var set = new ArchiveSet(options,
        [
            new("id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("campaign_id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("voted_at", ColumnKind.DateTime, true, "datetime(3)"),
        ]);

        var error = Assert.Throws<InvalidRowException>(() => RowDocument.Create(set, [12L, 4L, DBNull.Value], Limit));

        Assert.Equal("voted_at", error.Column);
        Assert.Equal(12, error.Key);
        Assert.Equal("votes id=12: column voted_at is NULL: every row needs the minute it is rolled up under", error.Message);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_values_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => RowDocument.Create(Kinds, [7L, 3L], Limit));

        Assert.Equal("raw", error.ParamName);
    }

    [Fact]
    public void A_contest_entry_has_the_pinned_form()
    {
        var entry = TestSets.Entry(42, campaignId: 7, userId: 99, entryNumber: 3, winner: true, message: "Good luck! 🍀", createdAt: new DateTime(2026, 11, 20, 14, 5, 9, 123));

        Assert.Equal(
            """{"type":"contest_campaign_entry","id":42,"campaign_id":7,"user_id":99,"entry_number":3,"winner":true,"message":"Good luck! \uD83C\uDF40","created_at":"2026-11-20T14:05:09.123Z"}""",
            TestJson.Write(entry));
        Assert.Equal("contest_campaign_entries:0000000000000000007:0000000000000000042", entry.Id);
        Assert.Equal("contest_campaign_entries id=42", entry.Origin);
    }

    [Fact]
    public void A_contest_entry_with_nulls_has_the_pinned_form()
    {
        var entry = TestSets.Entry(1, campaignId: 0, userId: null, entryNumber: 1, winner: false, message: null, createdAt: new DateTime(2026, 11, 20, 0, 0, 0));

        Assert.Equal(
            """{"type":"contest_campaign_entry","id":1,"campaign_id":0,"user_id":null,"entry_number":1,"winner":false,"message":null,"created_at":"2026-11-20T00:00:00.000Z"}""",
            TestJson.Write(entry));
        Assert.Equal("contest_campaign_entries:0000000000000000000:0000000000000000001", entry.Id);
    }

    [Fact]
    public void A_vote_has_the_pinned_form()
    {
        var vote = RowDocument.Create(TestSets.Votes, [5L, 123_456_789_012L, 8L, "blue 💙", new DateTime(2026, 11, 20, 14, 5, 0, 1)], Limit);

        Assert.Equal(
            """{"type":"vote_campaign_vote","id":5,"campaign_id":123456789012,"user_id":8,"choice":"blue \uD83D\uDC99","created_at":"2026-11-20T14:05:00.001Z"}""",
            TestJson.Write(vote));
        Assert.Equal("vote_campaign_votes:0000000123456789012:0000000000000000005", vote.Id);
    }

    [Fact]
    public void Ids_are_zero_padded_to_19_digits()
    {
        Assert.Equal("contest_campaign_entries:0009007199254740991:0009007199254740991", DocumentIds.ForRow("contest_campaign_entries", 9_007_199_254_740_991, 9_007_199_254_740_991));
        Assert.Equal("contest_campaign_entries:0000000000000000001:0000000000000000010", TestSets.Entry(10).Id);
    }

    [Fact]
    public void A_document_above_the_size_limit_is_refused_naming_its_largest_column_and_size()
    {
        var message = new string('x', 5_000) + string.Concat(Enumerable.Repeat("😀", 1_000));
        var expected = "{\"type\":\"contest_campaign_entry\",\"id\":1,\"campaign_id\":1,\"user_id\":null,\"entry_number\":1,\"winner\":false,\"message\":\""
            + new string('x', 5_000) + string.Concat(Enumerable.Repeat("\\uD83D\\uDE00", 1_000)) + "\",\"created_at\":\"2026-11-20T10:00:00.000Z\"}";
        var size = Encoding.UTF8.GetByteCount(expected);
        Assert.Equal(17_156, size);

        var error = Assert.Throws<InvalidRowException>(() => RowDocument.Create(TestSets.Entries, EntryRow(message), size - 1));

        Assert.Equal("message", error.Column);
        Assert.Equal("contest_campaign_entries:0000000000000000001:0000000000000000001", error.DocumentId);
        Assert.Equal(
            "contest_campaign_entries id=1 (document contest_campaign_entries:0000000000000000001:0000000000000000001): column message makes a document of 17,156 bytes, above CouchDb:MaxDocumentBytes (17,155); this column is its largest field",
            error.Message);
    }

    [Fact]
    public void A_document_at_or_just_under_the_size_limit_is_accepted()
    {
        var message = new string('x', 5_000) + string.Concat(Enumerable.Repeat("😀", 1_000));

        var atLimit = RowDocument.Create(TestSets.Entries, EntryRow(message), 17_156);
        var underLimit = RowDocument.Create(TestSets.Entries, EntryRow(message), 17_157);

        Assert.Equal(17_156, Encoding.UTF8.GetByteCount(TestJson.Write(atLimit)));
        Assert.Equal(17_156, DocumentContent.SerializedLength(underLimit));
    }

    [Fact]
    public void The_largest_column_is_named_even_when_it_is_not_text()
    {
        var options = new ArchiveSetOptions { Table = "t", Type = "t", Database = "t" };
        var set = new ArchiveSet(options,
        [
            new("id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("campaign_id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("a_rather_long_column_name_that_is_not_the_largest_value", ColumnKind.Text, false, "varchar(1)", "utf8mb4"),
            new("c", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("created_at", ColumnKind.DateTime, false, "datetime(3)"),
        ]);

        // {"type":"t","id":1,"campaign_id":1,"a_rather_long_column_name_that_is_not_the_largest_value":"","c":9007199254740991,"created_at":"2026-11-20T10:00:00.000Z"}
        var error = Assert.Throws<InvalidRowException>(() => RowDocument.Create(set, [1L, 1L, "", 9_007_199_254_740_991L, new DateTime(2026, 11, 20, 10, 0, 0)], 100));

        Assert.Equal("created_at", error.Column);
        Assert.Contains("makes a document of 157 bytes, above CouchDb:MaxDocumentBytes (100)", error.Message, StringComparison.Ordinal);
    }

    private static object?[] EntryRow(string message) => [1L, 1L, null, 1L, 0L, message, new DateTime(2026, 11, 20, 10, 0, 0)];
}
