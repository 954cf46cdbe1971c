using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Archiver.CouchDb;

public sealed partial class CouchDbClient
{
    /// <inheritdoc />
    public async Task<long> CountCampaignDocumentsAsync(string database, string type, long campaignId, CancellationToken cancellationToken = default)
    {
        // No stale option: the index is brought up to date with every write before it answers.
        var path = $"{DatabasePath(database)}/{ArchiveIndex.ViewPath}?startkey={Key(w => StartKey(w, type, campaignId))}&endkey={Key(w => EndKey(w, type, campaignId))}";
        using var document = await SendForJsonAsync(HttpMethod.Get, path, null, [HttpStatusCode.OK], cancellationToken, readsIndex: true).ConfigureAwait(false);
        var rows = document.RootElement.GetProperty("rows");
        return rows.GetArrayLength() == 0 ? 0 : rows[0].GetProperty("value").GetInt64();
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> FindCampaignDocumentsAsync(
        string database, string type, long campaignId, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new HashSet<string>();
        }

        var body = WriteJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var id in ids)
            {
                RowKey(writer, type, campaignId, id);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        var path = $"{DatabasePath(database)}/{ArchiveIndex.ViewPath}?reduce=false";
        using var document = await SendForJsonAsync(HttpMethod.Post, path, () => JsonContent(body), [HttpStatusCode.OK], cancellationToken, readsIndex: true).ConfigureAwait(false);
        return document.RootElement.GetProperty("rows").EnumerateArray().Select(row => row.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> StreamCampaignDocumentIdsAsync(
        string database, string type, long campaignId, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var end = Key(w => EndKey(w, type, campaignId));
        var start = Key(w => StartKey(w, type, campaignId));
        string? last = null;
        while (true)
        {
            // Keys are unique ([type, campaign, _id]), so a page starts at the previous page's last
            // key and drops that row if it is still there; skip=1 would drop the next row instead
            // when the last one has been deleted meanwhile.
            var path = $"{DatabasePath(database)}/{ArchiveIndex.ViewPath}?reduce=false&startkey={start}&endkey={end}&limit={pageSize + 1}";
            using var document = await SendForJsonAsync(HttpMethod.Get, path, null, [HttpStatusCode.OK], cancellationToken, readsIndex: true).ConfigureAwait(false);
            var rows = document.RootElement.GetProperty("rows");
            var returned = 0;
            string? next = null;
            foreach (var row in rows.EnumerateArray())
            {
                var id = row.GetProperty("id").GetString()!;
                if (returned == 0 && string.Equals(id, last, StringComparison.Ordinal))
                {
                    continue;
                }

                returned++;
                next = id;
                yield return id;
            }

            if (rows.GetArrayLength() <= pageSize || next is null)
            {
                yield break;
            }

            last = next;
            start = Key(w => RowKey(w, type, campaignId, next));
        }
    }

    private async Task EnsureIndexAsync(string database, CancellationToken cancellationToken)
    {
        var path = $"{DatabasePath(database)}/{ArchiveIndex.DesignDocumentId}";
        for (var attempt = 1; ; attempt++)
        {
            string? rev = null;
            using (var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false))
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var current = await ReadJsonAsync(HttpMethod.Get, path, response, static (stream, ct) => JsonDocument.ParseAsync(stream, default, ct), cancellationToken).ConfigureAwait(false);
                    if (IsCurrent(current.RootElement))
                    {
                        return;
                    }

                    rev = current.RootElement.GetProperty("_rev").GetString();
                }
                else if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    throw await ErrorAsync(HttpMethod.Get, path, response, cancellationToken).ConfigureAwait(false);
                }
            }

            var body = DesignDocument(rev);
            using var written = await SendAsync(HttpMethod.Put, path, () => JsonContent(body), cancellationToken).ConfigureAwait(false);
            if (written.IsSuccessStatusCode)
            {
                Log.IndexWritten(_logger, database, ArchiveIndex.DesignDocumentId);
                return;
            }

            if (written.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                // Members of a CouchDB database may write documents but not design documents.
                var error = await ErrorAsync(HttpMethod.Put, path, written, cancellationToken).ConfigureAwait(false);
                throw new ArchiverConfigurationException(
                    $"configuration error: the CouchDB account may not write {ArchiveIndex.DesignDocumentId} into database {database} ({error.Message}); " +
                    "run the archive once with a database admin in CouchDb:Username, or have an admin install it (docs/couchdb-compat.md)", error);
            }

            // 409: another archiver wrote it at the same moment; look again once.
            if (written.StatusCode != HttpStatusCode.Conflict || attempt == 2)
            {
                throw await ErrorAsync(HttpMethod.Put, path, written, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsCurrent(JsonElement designDocument) =>
        designDocument.TryGetProperty("views", out var views)
        && views.TryGetProperty(ArchiveIndex.ViewName, out var view)
        && view.TryGetProperty("map", out var map) && map.GetString() == ArchiveIndex.Map
        && view.TryGetProperty("reduce", out var reduce) && reduce.GetString() == ArchiveIndex.Reduce;

    private static byte[] DesignDocument(string? rev) => WriteJson(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("_id", ArchiveIndex.DesignDocumentId);
        if (rev is not null)
        {
            writer.WriteString("_rev", rev);
        }

        writer.WriteString("language", "javascript");
        writer.WriteStartObject("views");
        writer.WriteStartObject(ArchiveIndex.ViewName);
        writer.WriteString("map", ArchiveIndex.Map);
        writer.WriteString("reduce", ArchiveIndex.Reduce);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    private static void RowKey(Utf8JsonWriter writer, string type, long campaignId, string id)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(type);
        writer.WriteNumberValue(campaignId);
        writer.WriteStringValue(id);
        writer.WriteEndArray();
    }

    private static void StartKey(Utf8JsonWriter writer, string type, long campaignId)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(type);
        writer.WriteNumberValue(campaignId);
        writer.WriteEndArray();
    }

    private static void EndKey(Utf8JsonWriter writer, string type, long campaignId)
    {
        // {} collates after every string, so [type, campaign, {}] ends the campaign's range.
        writer.WriteStartArray();
        writer.WriteStringValue(type);
        writer.WriteNumberValue(campaignId);
        writer.WriteStartObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static string Key(Action<Utf8JsonWriter> write) => Uri.EscapeDataString(System.Text.Encoding.UTF8.GetString(WriteJson(write)));
}
