using Archiver.CouchDb;
using Archiver.Documents;
using Archiver.Entries;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

public sealed class CouchDbClientTests : DatabaseTest
{
    private static DocumentWrite Write(long id, string message = "m", string? rev = null) =>
        new(new ContestEntryDocument(new ContestEntryRow { Id = id, CampaignId = 1, Message = message, CreatedAt = new DateTime(2026, 1, 1) }), rev);

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
        var before = await Db.CouchInfoAsync();
        await Db.Couch.EnsureDatabaseAsync(Db.Name);
        await Db.Couch.EnsureDatabaseAsync(Db.Name);
        var after = await Db.CouchInfoAsync();
        Assert.Equal(1, after.DocCount); // the archiver's design document, written once
        Assert.Equal(before.UpdateSeq, after.UpdateSeq);
    }

    [Fact]
    public async Task A_batch_reports_created_and_conflicting_documents_one_by_one()
    {
        var first = await Db.Couch.SaveAsync(Db.Name, [Write(1), Write(2)]);
        var second = await Db.Couch.SaveAsync(Db.Name, [Write(2, "changed"), Write(3), Write(1, "changed", first.Single(r => r.Id.EndsWith('1')).Rev)]);

        Assert.All(first, r => Assert.True(r.Succeeded));
        var byId = second.ToDictionary(r => r.Id);
        Assert.True(byId[DocumentIds.ForRow(ContestEntries.Table, 2)].IsConflict);
        Assert.True(byId[DocumentIds.ForRow(ContestEntries.Table, 3)].Succeeded);
        Assert.StartsWith("2-", byId[DocumentIds.ForRow(ContestEntries.Table, 1)].Rev, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_by_id_tells_live_deleted_and_missing_apart()
    {
        var saved = await Db.Couch.SaveAsync(Db.Name, [Write(1), Write(2)]);
        var deleteId = DocumentIds.ForRow(ContestEntries.Table, 2);
        (await Db.Http.DeleteAsync($"{Db.Name}/{Uri.EscapeDataString(deleteId)}?rev={saved.Single(r => r.Id == deleteId).Rev}")).EnsureSuccessStatusCode();

        var ids = new[] { 1L, 2, 3 }.Select(k => DocumentIds.ForRow(ContestEntries.Table, k)).ToList();
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
        Assert.Equal(1, await Db.Couch.CountCampaignDocumentsAsync(Db.Name, ContestEntries.DocumentType, 1));
    }

    [Fact]
    public async Task The_campaign_index_counts_and_lists_only_live_documents_of_that_campaign()
    {
        var writes = Enumerable.Range(1, 7).Select(i => new DocumentWrite(
            new ContestEntryDocument(new ContestEntryRow { Id = i, CampaignId = i <= 5 ? 10 : 11, CreatedAt = new DateTime(2026, 1, 1) }), null)).ToList();
        var saved = await Db.Couch.SaveAsync(Db.Name, writes);
        var deleted = saved.Single(r => r.Id == DocumentIds.ForRow(ContestEntries.Table, 2));
        (await Db.Http.DeleteAsync($"{Db.Name}/{Uri.EscapeDataString(deleted.Id)}?rev={deleted.Rev}")).EnsureSuccessStatusCode();

        var ids = new List<string>();
        await foreach (var id in Db.Couch.StreamCampaignDocumentIdsAsync(Db.Name, ContestEntries.DocumentType, 10, pageSize: 2))
        {
            ids.Add(id);
        }

        Assert.Equal(4, await Db.Couch.CountCampaignDocumentsAsync(Db.Name, ContestEntries.DocumentType, 10));
        Assert.Equal(2, await Db.Couch.CountCampaignDocumentsAsync(Db.Name, ContestEntries.DocumentType, 11));
        Assert.Equal(0, await Db.Couch.CountCampaignDocumentsAsync(Db.Name, ContestEntries.DocumentType, 12));
        Assert.Equal(new long[] { 1, 3, 4, 5 }.Select(k => DocumentIds.ForRow(ContestEntries.Table, k)), ids);

        var asked = new long[] { 1, 2, 5, 6, 99 }.Select(k => DocumentIds.ForRow(ContestEntries.Table, k)).ToList();
        var found = await Db.Couch.FindCampaignDocumentsAsync(Db.Name, ContestEntries.DocumentType, 10, asked);
        Assert.Equal(new long[] { 1, 5 }.Select(k => DocumentIds.ForRow(ContestEntries.Table, k)).ToHashSet(), found);
    }

    [Fact]
    public async Task A_server_error_names_method_path_and_reason()
    {
        var error = await Assert.ThrowsAsync<CouchDbException>(() => Db.Couch.GetAsync("archiver_test_no_such_db", ["x"]));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.StartsWith("CouchDB POST /archiver_test_no_such_db/_all_docs?include_docs=true failed: 404 not_found", error.Message, StringComparison.Ordinal);
    }
}
