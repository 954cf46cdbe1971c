using System.Net;
using System.Text.Json;

namespace Archiver.CouchDb;

/// <summary>Plain JSON documents (<c>_replicator</c> entries, the replication filter) and the replication scheduler.</summary>
public sealed partial class CouchDbClient
{
    /// <summary>A document as JSON; null when it (or its database) does not exist.</summary>
    public Task<JsonDocument?> GetDocumentJsonAsync(string database, string id, CancellationToken cancellationToken = default) =>
        GetJsonOrNullAsync($"{DatabasePath(database)}/{DocumentPath(id)}", cancellationToken);

    /// <summary>Writes a document (its body carries <c>_rev</c> when it replaces one); returns the new revision.</summary>
    public async Task<string> PutDocumentJsonAsync(string database, string id, byte[] body, CancellationToken cancellationToken = default)
    {
        var path = $"{DatabasePath(database)}/{DocumentPath(id)}";
        using var document = await SendForJsonAsync(HttpMethod.Put, path, () => JsonContent(body), [HttpStatusCode.Created, HttpStatusCode.Accepted], cancellationToken)
            .ConfigureAwait(false);
        return document.RootElement.TryGetProperty("rev", out var rev) && rev.GetString() is { } text
            ? text
            : throw new CouchDbProtocolException($"PUT /{path}", "the answer has no rev");
    }

    /// <summary>A document with its revision history (<c>?revs=true</c>), as a replication reads it; null when it does not exist.</summary>
    public Task<JsonDocument?> GetDocumentWithHistoryAsync(string database, string id, CancellationToken cancellationToken = default) =>
        GetJsonOrNullAsync($"{DatabasePath(database)}/{DocumentPath(id)}?revs=true", cancellationToken);

    /// <summary>
    /// Stores <paramref name="document"/> (its <c>_rev</c> and <c>_revisions</c> as read from another
    /// server) the way a replication writes it: <c>_bulk_docs</c> with <c>new_edits=false</c>, so the
    /// revision stays the source's and joins the history already here. Both servers answer <c>[]</c>
    /// when it is stored and list the document only when they refuse it.
    /// </summary>
    public async Task PutReplicatedDocumentAsync(string database, JsonElement document, CancellationToken cancellationToken = default)
    {
        var path = DatabasePath(database) + "/_bulk_docs";
        var id = document.TryGetProperty("_id", out var idElement) ? idElement.GetString() : null;
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("new_edits", false);
            writer.WriteStartArray("docs");
            document.WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var body = stream.ToArray();
        using var answer = await SendForJsonAsync(HttpMethod.Post, path, () => JsonContent(body), [HttpStatusCode.Created, HttpStatusCode.Accepted], cancellationToken)
            .ConfigureAwait(false);
        if (answer.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new CouchDbProtocolException($"POST /{path}", "the answer is not an array");
        }

        foreach (var item in answer.RootElement.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("error", out var error))
            {
                throw new DocumentWriteException(database, "copied from another server", id ?? "(no id)",
                    error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText(),
                    item.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null);
            }
        }
    }

    /// <summary>Deletes one revision of a document; false when it was gone already.</summary>
    public Task<bool> DeleteDocumentAsync(string database, string id, string rev, CancellationToken cancellationToken = default) =>
        DeleteAsync($"{DatabasePath(database)}/{DocumentPath(id)}?rev={Uri.EscapeDataString(rev)}", cancellationToken);

    /// <summary>DELETE <paramref name="path"/>: false when the server answers 404 (it was gone already).</summary>
    private async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(HttpMethod.Delete, path, response, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// The replication scheduler's entry for a <c>_replicator</c> document (CouchDB 3's
    /// <c>_scheduler/docs</c>); null when the server has no scheduler (pouchdb-server) or no such entry.
    /// </summary>
    public Task<JsonDocument?> GetSchedulerDocAsync(string replicatorId, CancellationToken cancellationToken = default) =>
        GetJsonOrNullAsync($"_scheduler/docs/_replicator/{DocumentPath(replicatorId)}", cancellationToken);

    /// <summary>True when the server has CouchDB 3's replication scheduler (<c>_scheduler/jobs</c>); pouchdb-server has none.</summary>
    public async Task<bool> HasReplicationSchedulerAsync(CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonOrNullAsync("_scheduler/jobs?limit=1", cancellationToken).ConfigureAwait(false);
        return document is not null;
    }

    /// <summary>How many live documents have ids in [<paramref name="startId"/>, <paramref name="endId"/>]; 0 when the database does not exist.</summary>
    public async Task<long> CountRangeAsync(string database, string startId, string endId, CancellationToken cancellationToken = default)
    {
        if (await GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is null)
        {
            return 0;
        }

        long count = 0;
        await foreach (var _ in ReadRangeAsync(database, startId, endId, includeDocs: false, pageSize: 10_000, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    private static string DocumentPath(string id) => id.StartsWith("_design/", StringComparison.Ordinal)
        ? "_design/" + Uri.EscapeDataString(id["_design/".Length..])
        : Uri.EscapeDataString(id);
}
