using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Archiver.CouchDb.Internal;
using Archiver.Documents;

namespace Archiver.CouchDb;

public sealed partial class CouchDbClient : IDocumentStore
{
    /// <inheritdoc />
    public async Task<DocumentWriteAnswer> SaveAsync(string database, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return new DocumentWriteAnswer([], 0);
        }

        var path = DatabasePath(database) + "/_bulk_docs";

        // A retried request gets a new body; the one answered is the last created.
        BulkDocsContent? body = null;
        using var response = await SendAsync(HttpMethod.Post, path, () => body = new BulkDocsContent(writes), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            Log.QuorumNotMet(_logger, path);
        }
        else if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await ErrorAsync(HttpMethod.Post, path, response, cancellationToken).ConfigureAwait(false);
        }

        var items = await ReadJsonAsync(HttpMethod.Post, path, response,
            static (stream, ct) => JsonSerializer.DeserializeAsync(stream, CouchJsonContext.Default.ListBulkDocsResultItem, ct).AsTask(), cancellationToken).ConfigureAwait(false)
            ?? throw new CouchDbProtocolException($"POST /{path}", "the answer is null");

        var results = new DocumentWriteResult[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Id is null || (item.Rev is null && item.Error is null))
            {
                throw new CouchDbProtocolException($"POST /{path}", $"result {i} has neither an id with a rev nor an error");
            }

            results[i] = new DocumentWriteResult(item.Id, item.Rev, item.Error, item.Reason);
        }

        return new DocumentWriteAnswer(results, body?.BytesWritten ?? 0);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredDocument>> GetAsync(string database, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        ReadKeysAsync(database, ids, includeDocs: true, cancellationToken);

    /// <summary>
    /// A keys read of <c>_all_docs</c>: each document as a read quorum of its copies has it (a cluster
    /// opens every key with r = quorum, and repairs copies that disagree), in the order asked.
    /// </summary>
    private async Task<IReadOnlyList<StoredDocument>> ReadKeysAsync(string database, IReadOnlyList<string> ids, bool includeDocs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var path = DatabasePath(database) + "/_all_docs?include_docs=" + (includeDocs ? "true" : "false");
        var keys = KeysBody(ids);
        using var document = await SendForJsonAsync(HttpMethod.Post, path, () => JsonContent(keys), [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
        if (!document.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new CouchDbProtocolException($"POST /{path}", "the answer has no rows");
        }

        var result = new List<StoredDocument>(ids.Count);
        foreach (var row in rows.EnumerateArray())
        {
            result.Add(ReadRow(row));
        }

        return result;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDocument> ReadRangeAsync(
        string database, string startId, string endId, bool includeDocs, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var page = ReadRangePageAsync(database, startId, null, endId, includeDocs, pageSize, stop.Token);
        try
        {
            while (true)
            {
                var (documents, last) = await page.ConfigureAwait(false);

                // The next page is requested before this one is handed out, so the server reads it while
                // the caller works through this one (the verifier hashes rows meanwhile).
                page = last is null ? null : ReadRangePageAsync(database, last, last, endId, includeDocs, pageSize, stop.Token);
                foreach (var document in documents)
                {
                    yield return document;
                }

                if (page is null)
                {
                    yield break;
                }
            }
        }
        finally
        {
            if (page is not null)
            {
                // The caller stopped early: the prefetch is abandoned, and must not outlive the enumeration.
                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await page.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
                catch (CouchDbException)
                {
                }
                catch (CouchDbProtocolException)
                {
                }
            }
        }
    }

    /// <summary>
    /// One page of a range: up to <paramref name="pageSize"/> live documents from <paramref name="startId"/>,
    /// leaving out <paramref name="previousLast"/> (the previous page's last id) if it is still there,
    /// and the id to continue after, null at the end. A page starts at the previous page's last id
    /// rather than using skip=1, which would drop the next document instead if the last one was
    /// deleted meanwhile.
    /// </summary>
    private async Task<(List<StoredDocument> Documents, string? Last)> ReadRangePageAsync(
        string database, string startId, string? previousLast, string endId, bool includeDocs, int pageSize, CancellationToken cancellationToken)
    {
        if (await ReplicasAsync(database, cancellationToken).ConfigureAwait(false) > 1)
        {
            // A cluster answers a range from one copy of each shard range, whichever answers first: a
            // document written where the write quorum was not met (202) may be on that copy only, and
            // a copy behind still lists a revision since replaced or deleted (a purge checking
            // revisions would take the old one for proof). What verification reads must be what a
            // read quorum agrees on: the page's ids come from the range, their revisions (and bodies)
            // from a keys read, which opens every document with r = quorum (and repairs copies that
            // disagree). An id the range left out is the caller's to look up (DocumentRangeJoin).
            var (ids, last) = await ReadRangePageFromOneCopyAsync(database, startId, previousLast, endId, false, pageSize, cancellationToken).ConfigureAwait(false);
            var quorum = await ReadKeysAsync(database, [.. ids.Select(d => d.Id)], includeDocs, cancellationToken).ConfigureAwait(false);
            return ([.. quorum.Where(d => d.Exists)], last);
        }

        return await ReadRangePageFromOneCopyAsync(database, startId, previousLast, endId, includeDocs, pageSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of a range as <c>_all_docs</c> answers it: on a cluster, from one copy of each shard range.</summary>
    private async Task<(List<StoredDocument> Documents, string? Last)> ReadRangePageFromOneCopyAsync(
        string database, string startId, string? previousLast, string endId, bool includeDocs, int pageSize, CancellationToken cancellationToken)
    {

        var path = $"{DatabasePath(database)}/_all_docs?include_docs={(includeDocs ? "true" : "false")}&inclusive_end=false&limit={pageSize + 1}" +
            $"&startkey={Uri.EscapeDataString(JsonSerializer.Serialize(startId, CouchJsonContext.Default.String))}" +
            $"&endkey={Uri.EscapeDataString(JsonSerializer.Serialize(endId, CouchJsonContext.Default.String))}";
        using var document = await SendForJsonAsync(HttpMethod.Get, path, null, [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
        if (!document.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new CouchDbProtocolException($"GET /{path}", "the answer has no rows");
        }

        var documents = new List<StoredDocument>(Math.Min(pageSize, rows.GetArrayLength()));
        foreach (var row in rows.EnumerateArray())
        {
            var stored = ReadRow(row);
            if (documents.Count == 0 && previousLast is not null && string.Equals(stored.Id, previousLast, StringComparison.Ordinal))
            {
                // The previous page's last document, still there.
                previousLast = null;
                continue;
            }

            if (documents.Count == pageSize)
            {
                break;
            }

            documents.Add(stored);
        }

        // Fewer rows than asked for: the range ends here.
        return (documents, rows.GetArrayLength() > pageSize && documents.Count > 0 ? documents[^1].Id : null);
    }

    /// <inheritdoc />
    public async Task<int> RefreshViewsAsync(string database, CancellationToken cancellationToken = default)
    {
        // _all_docs over the _design/ prefix: both servers list design documents there (pouchdb-server has no _design_docs).
        var path = $"{DatabasePath(database)}/_all_docs?include_docs=true&startkey={Uri.EscapeDataString("\"_design/\"")}&endkey={Uri.EscapeDataString("\"_design0\"")}";
        var views = new List<string>();
        var stable = await StableAsync(database, cancellationToken).ConfigureAwait(false);
        using (var document = await SendForJsonAsync(HttpMethod.Get, path, null, [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false))
        {
            if (!document.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw new CouchDbProtocolException($"GET /{path}", "the answer has no rows");
            }

            foreach (var row in rows.EnumerateArray())
            {
                if (row.TryGetProperty("id", out var id) && id.GetString() is { } designId && designId.StartsWith("_design/", StringComparison.Ordinal) &&
                    row.TryGetProperty("doc", out var doc) && doc.ValueKind == JsonValueKind.Object &&
                    doc.TryGetProperty("views", out var viewsElement) && viewsElement.ValueKind == JsonValueKind.Object)
                {
                    if (designId.EndsWith(Views.ViewDeployer.StagingSuffix, StringComparison.Ordinal))
                    {
                        // A copy `views deploy` is building (and will delete): no reader uses it, and
                        // waiting here for its build would hold up the archive for nothing.
                        continue;
                    }

                    // reduce=false: asked to reduce, pouchdb-server ignores limit and reads and reduces every row.
                    var design = Uri.EscapeDataString(designId["_design/".Length..]);
                    views.AddRange(viewsElement.EnumerateObject().Select(view =>
                        $"{DatabasePath(database)}/_design/{design}/_view/{Uri.EscapeDataString(view.Name)}?limit=0" +
                        (view.Value.ValueKind == JsonValueKind.Object && view.Value.TryGetProperty("reduce", out _) ? "&reduce=false" : "") + stable));
                }
            }
        }

        foreach (var view in views)
        {
            // Without stale=ok a query first brings the index up to date; limit=0 asks for nothing else.
            // CouchDB builds all views of a design document together, so the later ones answer at once;
            // pouchdb-server builds each view separately, so each is queried.
            var query = view;
            using var response = await SendAsync(HttpMethod.Get, query, null, _options.ViewTimeout, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // Its design document was replaced or removed since it was listed (a deploy): nothing to refresh.
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw await ErrorAsync(HttpMethod.Get, query, response, cancellationToken).ConfigureAwait(false);
            }
        }

        return views.Count;
    }

    private static StoredDocument ReadRow(JsonElement row)
    {
        var key = row.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        if (row.TryGetProperty("error", out _) || !row.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return new StoredDocument(key, null, false, null);
        }

        var id = row.TryGetProperty("id", out var idElement) ? idElement.GetString() ?? key : key;
        var rev = value.TryGetProperty("rev", out var revElement) ? revElement.GetString() : null;
        var deleted = value.TryGetProperty("deleted", out var deletedElement) && deletedElement.ValueKind == JsonValueKind.True;
        JsonElement? body = !deleted && row.TryGetProperty("doc", out var doc) && doc.ValueKind == JsonValueKind.Object ? doc.Clone() : null;
        return new StoredDocument(id, rev, deleted, body);
    }

    private static byte[] KeysBody(IReadOnlyList<string> ids) => WriteJson(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("keys");
        foreach (var id in ids)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}
