using Archiver.Documents;
using Archiver.Engine;
using Archiver.UnitTests.Fakes;

namespace Archiver.UnitTests;

public sealed class BatchWriterTests
{
    private const string Database = "archive";

    private static List<IArchiveDocument> Documents(int count, string message = "hello") =>
        Enumerable.Range(1, count).Select(i => (IArchiveDocument)TestSets.Entry(i, entryNumber: i, message: message, createdAt: new DateTime(2026, 11, 20, 10, 0, 0).AddSeconds(i))).ToList();

    [Fact]
    public async Task First_write_creates_every_document_in_one_request()
    {
        var store = new FakeDocumentStore();
        var totals = (await new BatchWriter(store, Database).WriteAsync(Documents(10), null, CancellationToken.None)).Totals;

        Assert.Equal(new BatchTotals(10, 0, 0, 0), totals);
        Assert.Equal([10], store.SaveRequestSizes);
        Assert.Equal(10, store.Count);
    }

    [Fact]
    public async Task Writing_the_same_rows_again_changes_no_revision()
    {
        var store = new FakeDocumentStore();
        var writer = new BatchWriter(store, Database);
        await writer.WriteAsync(Documents(10), null, CancellationToken.None);
        var revisions = Enumerable.Range(1, 10).Select(i => store.RevisionOf(DocumentIds.ForRow("contest_campaign_entries", 1, i))).ToList();

        var totals = (await writer.WriteAsync(Documents(10), null, CancellationToken.None)).Totals;

        Assert.Equal(new BatchTotals(0, 0, 10, 0), totals);
        Assert.Equal(10, store.Writes);
        Assert.Equal(revisions, Enumerable.Range(1, 10).Select(i => store.RevisionOf(DocumentIds.ForRow("contest_campaign_entries", 1, i))));
    }

    [Fact]
    public async Task A_document_that_differs_from_its_row_is_overwritten_with_its_revision()
    {
        var store = new FakeDocumentStore();
        var writer = new BatchWriter(store, Database);
        await writer.WriteAsync(Documents(3, "old"), null, CancellationToken.None);

        var totals = (await writer.WriteAsync(Documents(3, "new"), null, CancellationToken.None)).Totals;

        Assert.Equal(new BatchTotals(0, 3, 0, 3), totals);
        var body = store.BodyOf(DocumentIds.ForRow("contest_campaign_entries", 1, 2))!.Value;
        Assert.Equal("new", body.GetProperty("message").GetString());
        Assert.StartsWith("2-", store.RevisionOf(DocumentIds.ForRow("contest_campaign_entries", 1, 2)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_document_is_repaired_and_the_rest_left_alone()
    {
        var store = new FakeDocumentStore();
        var writer = new BatchWriter(store, Database);
        await writer.WriteAsync(Documents(5), null, CancellationToken.None);
        store.Tamper(DocumentIds.ForRow("contest_campaign_entries", 1, 4), "message", "edited in CouchDB");

        var totals = (await writer.WriteAsync(Documents(5), null, CancellationToken.None)).Totals;

        Assert.Equal(new BatchTotals(0, 1, 4, 1), totals);
        Assert.Equal("hello", store.BodyOf(DocumentIds.ForRow("contest_campaign_entries", 1, 4))!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_deleted_document_is_created_again()
    {
        var store = new FakeDocumentStore();
        var writer = new BatchWriter(store, Database);
        await writer.WriteAsync(Documents(2), null, CancellationToken.None);
        store.Delete(DocumentIds.ForRow("contest_campaign_entries", 1, 1));

        var totals = (await writer.WriteAsync(Documents(2), null, CancellationToken.None)).Totals;

        Assert.Equal(2, store.Count);
        Assert.Equal(1, totals.Unchanged);
        Assert.Equal(1, totals.Written);
    }

    [Fact]
    public async Task Answers_out_of_order_are_matched_by_id()
    {
        var store = new FakeDocumentStore { ReverseAnswers = true };
        var writer = new BatchWriter(store, Database);
        await writer.WriteAsync(Documents(3, "old"), null, CancellationToken.None);

        var totals = (await writer.WriteAsync(Documents(3, "new"), null, CancellationToken.None)).Totals;

        Assert.Equal(3, totals.Updated);
    }

    [Fact]
    public async Task A_refused_document_fails_the_batch_naming_database_table_key_and_id()
    {
        var store = new FakeDocumentStore
        {
            Refuse = w => w.Document.Id.EndsWith(":0000000000000000007", StringComparison.Ordinal) ? new DocumentWriteResult(w.Document.Id, null, "forbidden", "message too rude") : null,
        };

        var error = await Assert.ThrowsAsync<DocumentWriteException>(() => new BatchWriter(store, Database).WriteAsync(Documents(10), null, CancellationToken.None));

        Assert.Equal(
            "CouchDB database archive refused document contest_campaign_entries:0000000000000000001:0000000000000000007 (contest_campaign_entries id=7): forbidden: message too rude",
            error.Message);
    }

    [Fact]
    public async Task A_document_that_keeps_conflicting_is_given_up_after_bounded_attempts()
    {
        var store = new FakeDocumentStore();
        var writer = new BatchWriter(store, Database);
        await writer.WriteAsync(Documents(1, "old"), null, CancellationToken.None);

        // Another writer changes the document before each of our saves, so our revision is always stale.
        store.BeforeSave = _ => store.Tamper(DocumentIds.ForRow("contest_campaign_entries", 1, 1), "message", Guid.NewGuid().ToString());

        var error = await Assert.ThrowsAsync<DocumentWriteException>(() => writer.WriteAsync(Documents(1, "new"), null, CancellationToken.None));
        Assert.Equal("conflict", error.Error);
        Assert.Equal(BatchWriter.MaxAttempts + 1, store.SaveRequestSizes.Count);
    }

    [Fact]
    public async Task The_bytes_of_a_batch_are_every_request_body_including_the_conflict_round()
    {
        var store = new FakeDocumentStore();
        var writer = new BatchWriter(store, Database);
        await writer.WriteAsync(Documents(3, "old"), null, CancellationToken.None);
        store.SaveRequestBytes.Clear();

        var saved = await writer.WriteAsync(Documents(3, "new"), null, CancellationToken.None);

        Assert.Equal(2, store.SaveRequestBytes.Count); // the creates that conflicted, then the updates
        Assert.Equal(store.SaveRequestBytes.Sum(), saved.Bytes);
        Assert.True(saved.Bytes > 0);
    }

    [Fact]
    public async Task A_missing_answer_is_an_error_not_a_success()
    {
        var store = new DroppingAnswerStore();
        var error = await Assert.ThrowsAsync<CouchDbProtocolException>(() => new BatchWriter(store, Database).WriteAsync(Documents(3), null, CancellationToken.None));
        Assert.Contains("answered 2 results for a batch of 3", error.Message, StringComparison.Ordinal);
    }

    private sealed class DroppingAnswerStore : IDocumentStore
    {
        public Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<DocumentWriteAnswer> SaveAsync(string database, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            Task.FromResult(new DocumentWriteAnswer(writes.Skip(1).Select(w => new DocumentWriteResult(w.Document.Id, "1-x", null, null)).ToList(), 0));

        public Task<IReadOnlyList<StoredDocument>> GetAsync(string database, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public long MaxDocumentBytes => 8_000_000;

        public IAsyncEnumerable<StoredDocument> ReadRangeAsync(string database, string startId, string endId, bool includeDocs, int pageSize, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<int> RefreshViewsAsync(string database, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
