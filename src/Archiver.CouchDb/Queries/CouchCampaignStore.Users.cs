using System.Globalization;
using System.Text.Json;
using Archiver.CouchDb.Internal;
using Archiver.Documents;
using Archiver.Queries;

namespace Archiver.CouchDb.Queries;

public sealed partial class CouchCampaignStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<UserEntryKey>> UserEntryKeysAsync(long userId, CancellationToken cancellationToken)
    {
        var database = Entries.Database;
        var keys = new List<UserEntryKey>();

        // The entry view's keys ['u', user, created_at, campaign, id] read descending are UserEntryKey
        // order (newest, then the higher campaign, then the higher id first). Keys only, in chunks; keys
        // are unique, so the next chunk starts at the extra row's key (pouchdb-server ignores startkey_docid).
        var startKey = string.Create(CultureInfo.InvariantCulture, $"[\"u\",{userId},{{}}]");
        var endKey = string.Create(CultureInfo.InvariantCulture, $"[\"u\",{userId}]");
        while (true)
        {
            ViewResult result;
            try
            {
                result = await _couch.QueryViewAsync(database, EntriesDesign, KeysView,
                    new ViewQuery { StartKey = startKey, EndKey = endKey, Descending = true, Limit = KeyChunk + 1 }, cancellationToken).ConfigureAwait(false);
            }
            catch (CouchDbException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound && keys.Count == 0)
            {
                // Asked for every user, archived campaigns or not: before the first archive there
                // is no database, and so no archived entry of anyone. A database without the view
                // is another matter: its campaigns could not be answered.
                if (await _couch.GetDatabaseInfoAsync(database, cancellationToken).ConfigureAwait(false) is null)
                {
                    return [];
                }

                throw new ArchiveReadException(database, null, $"the view _design/{EntriesDesign}/_view/{KeysView} is missing ({ex.Message}): deploy the views with 'archiver views deploy'");
            }

            foreach (var row in result.Rows.Take(KeyChunk))
            {
                keys.Add(UserKey(database, row));
            }

            if (result.Rows.Count <= KeyChunk)
            {
                break;
            }

            startKey = result.Rows[KeyChunk].Key.GetRawText();
        }

        // Already in this order on pouchdb-server; sorted so that CouchDB's collation of the timestamp text cannot matter.
        keys.Sort();
        return keys;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContestEntry>> GetEntriesAsync(IReadOnlyList<UserEntryKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var database = Entries.Database;
        var entries = new List<ContestEntry>(keys.Count);
        foreach (var chunk in keys.Chunk(DocumentChunk))
        {
            var ids = chunk.Select(k => DocumentIds.ForRow(Entries.Table, k.CampaignId, k.Id)).ToList();
            var stored = await _couch.GetAsync(database, ids, cancellationToken).ConfigureAwait(false);

            // Matched by id, not by position: the answer's order is the server's business.
            var byId = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
            foreach (var document in stored)
            {
                byId.TryAdd(document.Id, document);
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                var id = ids[i];
                if (!byId.TryGetValue(id, out var document) || !document.Exists)
                {
                    throw new ArchiveReadException(database, id, document?.Deleted == true ? "the document is deleted" : "the document is missing");
                }

                var entry = EntryDocument.Read(database, id, document.Body, Entries.Type);
                if (entry.CampaignId != chunk[i].CampaignId || entry.Id != chunk[i].Id)
                {
                    throw new ArchiveReadException(database, id, $"the document holds campaign {entry.CampaignId}, id {entry.Id}");
                }

                entries.Add(entry);
            }
        }

        return entries;
    }

    private static UserEntryKey UserKey(string database, ViewRow row)
    {
        var key = row.Key;
        if (key.ValueKind == JsonValueKind.Array && key.GetArrayLength() == 5
            && EntryDocument.TryParseTimestamp(key[2], out var createdAt)
            && key[3].ValueKind == JsonValueKind.Number && key[3].TryGetInt64(out var campaignId)
            && key[4].ValueKind == JsonValueKind.Number && key[4].TryGetInt64(out var id))
        {
            return new UserEntryKey(createdAt, campaignId, id);
        }

        throw new ArchiveReadException(database, row.Id, $"view {EntriesDesign}/{KeysView} answered the key {key.GetRawText()}, not ['u', user, created_at, campaign, id]");
    }
}
