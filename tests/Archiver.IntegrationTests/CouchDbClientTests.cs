using Archiver.CouchDb;
using Archiver.Documents;
using Archiver.Sets;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

public sealed class CouchDbClientTests : DatabaseTest
{
    private ArchiveSet? _entries;

    /// <summary>The client's own database, and the entries set as MySQL describes it.</summary>
    protected override async Task InitializeDatabasesAsync()
    {
        await Db.Couch.EnsureDatabaseAsync(Db.Name);
        _entries = await Db.Source().DescribeAsync(Db.Options().Sets[0]);
    }

    private RowDocument Entry(long id, long campaignId = 1, string message = "m") =>
        RowDocument.Create(_entries!, [id, campaignId, null, 1L, 0L, message, new DateTime(2026, 1, 1)], 8_000_000);

    private DocumentWrite Write(long id, string message = "m", string? rev = null) => new(Entry(id, message: message), rev);

    [Fact]
    public async Task The_server_introduces_itself()
    {
        var info = await Db.Couch.GetServerInfoAsync();
        Assert.Contains(info.Product, new[] { "couchdb", "express-pouchdb" });
        Assert.NotEmpty(info.Version);
    }

    [Fact]
    public async Task Creating_an_existing_database_is_a_no_op()
    {
        var before = await Db.CouchStateAsync(Db.Name);
        await Db.Couch.EnsureDatabaseAsync(Db.Name);
        await Db.Couch.EnsureDatabaseAsync(Db.Name);
        Assert.Equal(0, (await Db.CouchInfoAsync(Db.Name))!.DocCount);
        Assert.Equal(before, await Db.CouchStateAsync(Db.Name));
    }

    [Fact]
    public async Task A_local_document_is_written_replaced_and_read_back_outside_the_documents()
    {
        Assert.Null(await Db.Couch.GetLocalAsync(Db.Name, "a mark/1"));
        Assert.Null(await Db.Couch.GetLocalAsync(Db.Name + "_missing", "a mark/1"));

        await Db.Couch.PutLocalAsync(Db.Name, "a mark/1", new Dictionary<string, string> { ["note"] = "first" });
        await Db.Couch.PutLocalAsync(Db.Name, "a mark/1", new Dictionary<string, string> { ["note"] = "second ✓" });

        using var mark = await Db.Couch.GetLocalAsync(Db.Name, "a mark/1");
        Assert.NotNull(mark);
        Assert.Equal("second ✓", mark.RootElement.GetProperty("note").GetString());
        Assert.Equal(0, (await Db.CouchInfoAsync(Db.Name))!.DocCount); // not a document: no view or _all_docs sees it
    }

    [Fact]
    public async Task A_batch_reports_created_and_conflicting_documents_one_by_one()
    {
        var first = await Db.Couch.SaveAsync(Db.Name, [Write(1), Write(2)]);
        var second = await Db.Couch.SaveAsync(Db.Name, [Write(2, "changed"), Write(3), Write(1, "changed", first.Single(r => r.Id.EndsWith('1')).Rev)]);

        Assert.All(first, r => Assert.True(r.Succeeded));
        var byId = second.ToDictionary(r => r.Id);
        Assert.True(byId[DocumentIds.ForRow("contest_campaign_entries", 1, 2)].IsConflict);
        Assert.True(byId[DocumentIds.ForRow("contest_campaign_entries", 1, 3)].Succeeded);
        Assert.StartsWith("2-", byId[DocumentIds.ForRow("contest_campaign_entries", 1, 1)].Rev, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_by_id_tells_live_deleted_and_missing_apart()
    {
        var saved = await Db.Couch.SaveAsync(Db.Name, [Write(1), Write(2)]);
        var deleteId = DocumentIds.ForRow("contest_campaign_entries", 1, 2);
        (await Db.Http.DeleteAsync($"{Db.Name}/{Uri.EscapeDataString(deleteId)}?rev={saved.Single(r => r.Id == deleteId).Rev}")).EnsureSuccessStatusCode();

        var ids = new[] { 1L, 2, 3 }.Select(k => DocumentIds.ForRow("contest_campaign_entries", 1, k)).ToList();
        var found = (await Db.Couch.GetAsync(Db.Name, ids)).ToDictionary(d => d.Id);

        Assert.True(found[ids[0]].Exists);
        Assert.Equal("m", found[ids[0]].Body!.Value.GetProperty("message").GetString());
        Assert.True(found[ids[1]].Deleted);
        Assert.False(found[ids[2]].Exists);
        Assert.Null(found[ids[2]].Rev);
    }

    [Fact]
    public async Task A_deleted_document_can_be_created_again_without_a_revision()
    {
        var saved = await Db.Couch.SaveAsync(Db.Name, [Write(1)]);
        (await Db.Http.DeleteAsync($"{Db.Name}/{Uri.EscapeDataString(saved[0].Id)}?rev={saved[0].Rev}")).EnsureSuccessStatusCode();

        var again = await Db.Couch.SaveAsync(Db.Name, [Write(1, "back")]);

        Assert.True(again[0].Succeeded);
        Assert.True(Assert.Single(await Db.Couch.GetAsync(Db.Name, [saved[0].Id])).Exists);
    }

    [Fact]
    public async Task A_key_range_lists_only_live_documents_in_it_in_id_order_across_pages()
    {
        var writes = Enumerable.Range(1, 7).Select(i => new DocumentWrite(Entry(i, campaignId: i <= 5 ? 10 : 11), null)).ToList();
        var saved = await Db.Couch.SaveAsync(Db.Name, writes);
        var deleted = saved.Single(r => r.Id == DocumentIds.ForRow("contest_campaign_entries", 10, 2));
        (await Db.Http.DeleteAsync($"{Db.Name}/{Uri.EscapeDataString(deleted.Id)}?rev={deleted.Rev}")).EnsureSuccessStatusCode();
        var (start, end) = DocumentIds.RowRange("contest_campaign_entries", 10);

        var listed = new List<StoredDocument>();
        await foreach (var document in Db.Couch.ReadRangeAsync(Db.Name, start, end, includeDocs: true, pageSize: 2))
        {
            listed.Add(document);
        }

        Assert.Equal(new long[] { 1, 3, 4, 5 }.Select(k => DocumentIds.ForRow("contest_campaign_entries", 10, k)), listed.Select(d => d.Id));
        Assert.All(listed, d => Assert.Equal(10, d.Body!.Value.GetProperty("campaign_id").GetInt64()));
        var (otherStart, otherEnd) = DocumentIds.RowRange("contest_campaign_entries", 12);
        await foreach (var unexpected in Db.Couch.ReadRangeAsync(Db.Name, otherStart, otherEnd, includeDocs: false, pageSize: 2))
        {
            Assert.Fail($"campaign 12 has no documents, got {unexpected.Id}");
        }
    }

    [Fact]
    public async Task A_server_error_names_method_path_and_reason()
    {
        var error = await Assert.ThrowsAsync<CouchDbException>(() => Db.Couch.GetAsync("archiver_test_no_such_db", ["x"]));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.StartsWith("CouchDB POST /archiver_test_no_such_db/_all_docs?include_docs=true failed: 404 not_found", error.Message, StringComparison.Ordinal);
    }
}
