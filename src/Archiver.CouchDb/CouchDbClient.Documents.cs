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
    public async Task<IReadOnlyList<DocumentWriteResult>> SaveAsync(string database, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return [];
        }

        var path = DatabasePath(database) + "/_bulk_docs";
        using var response = await SendAsync(HttpMethod.Post, path, () => new BulkDocsContent(writes), cancellationToken).ConfigureAwait(false);
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
            ?? throw new CouchDbException("POST", "/" + path, response.StatusCode, "bad_response", "the answer is null");

        var results = new DocumentWriteResult[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Id is null || (item.Rev is null && item.Error is null))
            {
                throw new CouchDbException("POST", "/" + path, response.StatusCode, "bad_response", $"result {i} has neither an id with a rev nor an error");
            }

            results[i] = new DocumentWriteResult(item.Id, item.Rev, item.Error, item.Reason);
        }

        return results;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDocument>> GetAsync(string database, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var path = DatabasePath(database) + "/_all_docs?include_docs=true";
        var keys = KeysBody(ids);
        using var document = await SendForJsonAsync(HttpMethod.Post, path, () => JsonContent(keys), [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
        if (!document.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new CouchDbException("POST", "/" + path, HttpStatusCode.OK, "bad_response", "the answer has no rows");
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
        var end = Uri.EscapeDataString(JsonSerializer.Serialize(endId, CouchJsonContext.Default.String));
        var start = startId;
        var skipFirst = false;
        while (true)
        {
            // A page starts at the previous page's last id and drops it if it is still there (ids are
            // unique); skip=1 would drop the next document instead if the last one was deleted meanwhile.
            var path = $"{DatabasePath(database)}/_all_docs?include_docs={(includeDocs ? "true" : "false")}&inclusive_end=false&limit={pageSize + 1}" +
                $"&startkey={Uri.EscapeDataString(JsonSerializer.Serialize(start, CouchJsonContext.Default.String))}&endkey={end}";
            using var document = await SendForJsonAsync(HttpMethod.Get, path, null, [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
            if (!document.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw new CouchDbException("GET", "/" + path, HttpStatusCode.OK, "bad_response", "the answer has no rows");
            }

            var returned = 0;
            string? last = null;
            foreach (var row in rows.EnumerateArray())
            {
                var stored = ReadRow(row);
                if (skipFirst && returned == 0 && string.Equals(stored.Id, start, StringComparison.Ordinal))
                {
                    // The previous page's last document, still there.
                    skipFirst = false;
                    continue;
                }

                if (returned == pageSize)
                {
                    break;
                }

                returned++;
                last = stored.Id;
                yield return stored;
            }

            if (rows.GetArrayLength() <= pageSize || last is null)
            {
                yield break;
            }

            start = last;
            skipFirst = true;
        }
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
