using System.Buffers;
using System.Text;
using System.Text.Json;
using Archiver.Bench.Sink;

namespace Archiver.UnitTests.Bench;

public sealed class DiscardSinkTests
{
    private const string A = "contest_campaign_entries:0000000000000000001:0000000000000000001";
    private const string B = "contest_campaign_entries:0000000000000000001:0000000000000000002";
    private const string C = "contest_campaign_entries:0000000000000000001:0000000000000000003";

    [Fact]
    public void Bulk_docs_reader_keeps_only_id_rev_and_deleted_and_skips_every_field()
    {
        var body = """
            {"docs":[
              {"_id":"a","type":"x","nested":{"_id":"not me","list":[1,{"_rev":"no"}]},"message":"¡hola! 🎉"},
              {"_id":"b","_rev":"1-abc","winner":true},
              {"_id":"c","_rev":"2-def","_deleted":true}
            ],"all_or_nothing":false}
            """;

        var items = BulkDocsReader.Read(Encoding.UTF8.GetBytes(body));

        Assert.Equal([new BulkDocsItem("a", null, false), new BulkDocsItem("b", "1-abc", false), new BulkDocsItem("c", "2-def", true)], items);
    }

    [Theory]
    [InlineData("[]", "JSON object")]
    [InlineData("{\"docs\":{}}", "docs must be an array")]
    [InlineData("{\"other\":1}", "no docs array")]
    [InlineData("{\"docs\":[{\"_id\":1}]}", "_id is not a string")]
    [InlineData("{\"docs\":[{\"_id\":\"a\"", "not valid JSON")]
    [InlineData("{\"new_edits\":false,\"docs\":[]}", "new_edits=false")]
    public void Bulk_docs_reader_refuses_bodies_couchdb_would_refuse(string body, string reason)
    {
        var error = Assert.Throws<FormatException>(() => BulkDocsReader.Read(Encoding.UTF8.GetBytes(body)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_new_documents_answers_first_revisions_and_a_repeat_without_rev_conflicts()
    {
        var database = new SinkDatabase("db");

        var first = database.Save([new(A, null, false), new(B, null, false), new(A, null, false)]);

        Assert.StartsWith("1-", first[0].Rev, StringComparison.Ordinal);
        Assert.StartsWith("1-", first[1].Rev, StringComparison.Ordinal);
        Assert.NotEqual(first[0].Rev, first[1].Rev);
        Assert.Equal(BulkDocsResult.Conflict(A), first[2]);
        Assert.Equal((2L, 0L, 2L), database.Info);
    }

    [Fact]
    public void Updating_needs_the_current_revision_and_makes_the_next_generation()
    {
        var database = new SinkDatabase("db");
        var rev = database.Save([new(A, null, false)])[0].Rev;

        var results = database.Save([new(A, "1-stale", false), new(A, rev, false)]);

        Assert.Equal("conflict", results[0].Error);
        Assert.Equal("Document update conflict.", results[0].Reason);
        Assert.StartsWith("2-", results[1].Rev, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleted_documents_leave_ranges_but_answer_keys_as_deleted_and_can_be_created_again()
    {
        var database = new SinkDatabase("db");
        var revs = database.Save([new(A, null, false), new(B, null, false)]);

        var deleted = database.Save([new(B, revs[1].Rev, true)])[0];

        Assert.Equal([A], database.Range(new AllDocsQuery()).Rows.Select(r => r.Key));
        Assert.Equal((1L, 1L, 3L), database.Info);
        var keys = database.Keys([B, C]).Rows;
        Assert.Equal(new AllDocsRow(B, deleted.Rev, true), keys[0]);
        Assert.True(keys[1].NotFound);
        Assert.StartsWith("3-", database.Save([new(B, null, false)])[0].Rev, StringComparison.Ordinal);
        Assert.Equal((2L, 0L, 4L), database.Info);
    }

    [Fact]
    public void Deleting_or_updating_a_document_that_never_existed_conflicts()
    {
        var database = new SinkDatabase("db");

        var results = database.Save([new(A, null, true), new(B, "1-x", false)]);

        Assert.All(results, r => Assert.Equal("conflict", r.Error));
        Assert.Equal((0L, 0L, 0L), database.Info);
    }

    [Fact]
    public void Ranges_follow_startkey_endkey_inclusive_end_skip_and_limit_in_ordinal_order()
    {
        var database = new SinkDatabase("db");
        database.Save([new(C, null, false), new(A, null, false), new("rollup:x", null, false), new(B, null, false)]);

        Assert.Equal([A, B, C], database.Range(new AllDocsQuery { StartKey = "contest_campaign_entries:0000000000000000001:", EndKey = "contest_campaign_entries:0000000000000000001;" }).Rows.Select(r => r.Key));
        Assert.Equal([B], database.Range(new AllDocsQuery { StartKey = B, EndKey = C, InclusiveEnd = false }).Rows.Select(r => r.Key));
        Assert.Equal([B, C], database.Range(new AllDocsQuery { StartKey = B, EndKey = C }).Rows.Select(r => r.Key));
        Assert.Equal([B], database.Range(new AllDocsQuery { StartKey = A, Skip = 1, Limit = 1 }).Rows.Select(r => r.Key));
        Assert.Empty(database.Range(new AllDocsQuery { StartKey = "_design/", EndKey = "_design0" }).Rows);
        var page = database.Range(new AllDocsQuery { StartKey = B });
        Assert.Equal((4L, 1L), (page.TotalRows, page.Offset));
    }

    [Fact]
    public void All_docs_query_parses_json_keys_and_refuses_what_the_sink_cannot_answer()
    {
        var query = AllDocsQuery.Parse(
            [new("startkey", "\"a\""), new("endkey", "\"b\""), new("inclusive_end", "false"), new("limit", "2501"), new("include_docs", "false")], out var error);

        Assert.Null(error);
        Assert.Equal(new AllDocsQuery { StartKey = "a", EndKey = "b", InclusiveEnd = false, Limit = 2501 }, query);
        Assert.Null(AllDocsQuery.Parse([new("descending", "true")], out error));
        Assert.Contains("descending", error, StringComparison.Ordinal);
        Assert.Null(AllDocsQuery.Parse([new("startkey", "a")], out error));
        Assert.Contains("JSON string", error, StringComparison.Ordinal);
    }

    [Fact]
    public void All_docs_answers_are_written_as_couchdb_writes_them()
    {
        var database = new SinkDatabase("db");
        var rev = database.Save([new(A, null, false)])[0].Rev;
        var output = new ArrayBufferWriter<byte>();

        SinkResponses.WriteAllDocs(output, database.Keys([A, B]), includeDocs: false);

        using var json = JsonDocument.Parse(output.WrittenMemory);
        var rows = json.RootElement.GetProperty("rows");
        Assert.Equal(1, json.RootElement.GetProperty("total_rows").GetInt32());
        Assert.Equal(A, rows[0].GetProperty("id").GetString());
        Assert.Equal(rev, rows[0].GetProperty("value").GetProperty("rev").GetString());
        Assert.Equal("not_found", rows[1].GetProperty("error").GetString());
        Assert.True(SinkResponses.NeedsBodies(database.Keys([A])));
        Assert.False(SinkResponses.NeedsBodies(database.Keys([B])));
    }

    [Fact]
    public void Bulk_docs_answers_carry_ok_id_rev_or_id_error_reason()
    {
        var output = new ArrayBufferWriter<byte>();

        SinkResponses.WriteBulkDocs(output, [new BulkDocsResult(A, "1-a", null, null), BulkDocsResult.Conflict(B)]);

        Assert.Equal(
            $$"""[{"ok":true,"id":"{{A}}","rev":"1-a"},{"id":"{{B}}","error":"conflict","reason":"Document update conflict."}]""",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
