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
        using var document = await SendForJsonAsync(HttpMethod.Get, path, null, [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
        var rows = document.RootElement.GetProperty("rows");
        return rows.GetArrayLength() == 0 ? 0 : rows[0].GetProperty("value").GetInt64();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> StreamCampaignDocumentIdsAsync(
        string database, string type, long campaignId, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var end = Key(w => EndKey(w, type, campaignId));
        var start = Key(w => StartKey(w, type, campaignId));
        var skip = 0;
        while (true)
        {
            var path = $"{DatabasePath(database)}/{ArchiveIndex.ViewPath}?reduce=false&startkey={start}&endkey={end}&limit={pageSize}&skip={skip}";
            using var document = await SendForJsonAsync(HttpMethod.Get, path, null, [HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
            var rows = document.RootElement.GetProperty("rows");
            string? last = null;
            foreach (var row in rows.EnumerateArray())
            {
                last = row.GetProperty("id").GetString()!;
                yield return last;
            }

            if (rows.GetArrayLength() < pageSize || last is null)
            {
                yield break;
            }

            // Keys are unique ([type, campaign, _id]), so the next page starts after the last key.
            start = Key(w =>
            {
                w.WriteStartArray();
                w.WriteStringValue(type);
                w.WriteNumberValue(campaignId);
                w.WriteStringValue(last);
                w.WriteEndArray();
            });
            skip = 1;
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
