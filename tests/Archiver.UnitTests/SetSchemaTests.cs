using Archiver.MySql;
using Archiver.Sets;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests;

public sealed class SetSchemaTests
{
    [Theory]
    [InlineData("tinyint", "tinyint(1)", ColumnKind.Boolean)]
    [InlineData("tinyint", "tinyint(1) unsigned", ColumnKind.Boolean)]
    [InlineData("tinyint", "tinyint(4)", ColumnKind.WholeNumber)]
    [InlineData("tinyint", "tinyint", ColumnKind.WholeNumber)]
    [InlineData("bigint", "bigint(20) unsigned", ColumnKind.WholeNumber)]
    [InlineData("int", "int(11)", ColumnKind.WholeNumber)]
    [InlineData("year", "year(4)", ColumnKind.WholeNumber)]
    [InlineData("decimal", "decimal(65,30)", ColumnKind.ExactDecimal)]
    [InlineData("double", "double", ColumnKind.FloatingPoint)]
    [InlineData("float", "float", ColumnKind.FloatingPoint)]
    [InlineData("varchar", "varchar(480)", ColumnKind.Text)]
    [InlineData("longtext", "longtext", ColumnKind.Text)]
    [InlineData("enum", "enum('a','b')", ColumnKind.Text)]
    [InlineData("set", "set('a','b')", ColumnKind.Text)]
    [InlineData("json", "json", ColumnKind.Text)]
    [InlineData("datetime", "datetime(3)", ColumnKind.DateTime)]
    [InlineData("timestamp", "timestamp", ColumnKind.DateTime)]
    [InlineData("date", "date", ColumnKind.Date)]
    public void MySQL_types_map_to_a_JSON_kind(string dataType, string columnType, ColumnKind kind)
    {
        Assert.Equal(kind, SetSchema.KindOf(dataType, columnType));
    }

    [Theory]
    [InlineData("blob", "blob")]
    [InlineData("varbinary", "varbinary(16)")]
    [InlineData("binary", "binary(16)")]
    [InlineData("bit", "bit(1)")]
    [InlineData("time", "time(3)")]
    [InlineData("geometry", "geometry")]
    public void Types_without_a_faithful_JSON_form_have_no_kind(string dataType, string columnType)
    {
        Assert.Null(SetSchema.KindOf(dataType, columnType));
    }

    [Fact]
    public void The_row_query_reads_a_keyset_chunk_with_exact_booleans_and_a_text_probe()
    {
        var schema = new SetSchema(TestSets.Entries);

        Assert.Equal(
            "SELECT `id`, `campaign_id`, `user_id`, `entry_number`, CAST(`winner` AS SIGNED), `message`, `created_at`, " +
            "CONCAT_WS(',', IF(`message` IS NULL OR CAST(`message` AS BINARY) = CAST(CONVERT(CONVERT(`message` USING utf32) USING utf8mb4) AS BINARY), NULL, 'message')) " +
            "FROM `contest_campaign_entries` WHERE `campaign_id` = @campaignId AND `id` > @after ORDER BY `id` LIMIT @limit",
            schema.RowsSql);
    }

    [Fact]
    public void The_fingerprint_covers_every_column_and_tells_NULL_from_empty()
    {
        var schema = new SetSchema(TestSets.Votes);

        Assert.Equal(
            "SELECT COUNT(*) AS RowCount, COALESCE(SUM(`id`), 0) AS KeySum, " +
            "COALESCE(SUM(CRC32(CONCAT_WS(CHAR(31 USING utf8mb4), `id`, `campaign_id`, `user_id`, ISNULL(`user_id`), CONVERT(`choice` USING utf8mb4), `created_at`))), 0) AS ContentSum " +
            "FROM `vote_campaign_votes` WHERE `campaign_id` = @campaignId",
            schema.FingerprintSql);
    }

    [Fact]
    public void TIMESTAMP_columns_are_read_as_seconds_since_the_epoch_and_JSON_columns_without_a_probe()
    {
        var options = new ArchiveSetOptions { Table = "events", Type = "event", Database = "events_archive" };
        options.Measures.Add(new MeasureOptions { Name = "count" });
        var set = new ArchiveSet(options,
        [
            new("id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("campaign_id", ColumnKind.WholeNumber, false, "bigint(20)"),
            new("payload", ColumnKind.Text, true, "json"),
            new("created_at", ColumnKind.DateTime, false, "timestamp(3)"),
        ]);

        Assert.StartsWith("SELECT `id`, `campaign_id`, `payload`, UNIX_TIMESTAMP(`created_at`), NULL FROM `events`", new SetSchema(set).RowsSql, StringComparison.Ordinal);
    }

    [Fact]
    public void Identifiers_are_quoted_with_backticks_doubled_inside()
    {
        Assert.Equal("`odd``name`", SetSchema.Quote("odd`name"));
    }
}
