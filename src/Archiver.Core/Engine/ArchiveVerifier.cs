using System.Text.Json;
using Archiver.Documents;
using Archiver.Entries;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>
/// Proves, before the flag, that the documents of the campaign in the archive are exactly its rows
/// in MySQL: every key MySQL has now is a live document that says it belongs to the campaign, and
/// the archive counts no more documents of the campaign than that. Documents whose row left the
/// campaign (deleted or moved after an interrupted run) are removed first: until the flag, MySQL
/// is the truth. Both questions are asked of the archiver's campaign index, so a document counts
/// only if its own <c>campaign_id</c> says so.
/// </summary>
internal sealed class ArchiveVerifier(IArchiveSource source, IDocumentStore store, string database, int batchSize)
{
    private const int IdsShown = 10;
    private const int MaxRemovalAttempts = 3;

    /// <summary>Returns the fingerprint of the verified keys, which the flag transaction compares with the rows as they are then.</summary>
    public async Task<RowFingerprint> VerifyAsync(CampaignInfo campaign, CampaignTally tally, CancellationToken cancellationToken)
    {
        var verified = await CheckEveryRowHasADocumentAsync(campaign, cancellationToken).ConfigureAwait(false);
        var counted = await CountAsync(campaign, cancellationToken).ConfigureAwait(false);
        if (counted > verified.Count)
        {
            var removed = await RemoveDocumentsWithoutRowsAsync(campaign, cancellationToken).ConfigureAwait(false);
            tally.Documents = tally.Documents with { Removed = tally.Documents.Removed + removed };
            counted = await CountAsync(campaign, cancellationToken).ConfigureAwait(false);
        }

        // Every verified key is one of the counted documents, so equal numbers mean equal sets.
        if (counted != verified.Count)
        {
            throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table,
                $"MySQL has {verified.Count:N0} rows of campaign {campaign.Id} but database {database} counts {counted:N0} documents of it");
        }

        return verified;
    }

    private Task<long> CountAsync(CampaignInfo campaign, CancellationToken cancellationToken) =>
        store.CountCampaignDocumentsAsync(database, ContestEntries.DocumentType, campaign.Id, cancellationToken);

    private async Task<RowFingerprint> CheckEveryRowHasADocumentAsync(CampaignInfo campaign, CancellationToken cancellationToken)
    {
        var verified = RowFingerprint.Empty;
        var missing = new List<string>();
        long missingCount = 0;
        var keys = new List<long>(batchSize);

        async Task CheckAsync()
        {
            var ids = keys.Select(k => DocumentIds.ForRow(ContestEntries.Table, k)).ToList();
            var present = await store.FindCampaignDocumentsAsync(database, ContestEntries.DocumentType, campaign.Id, ids, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < keys.Count; i++)
            {
                if (present.Contains(ids[i]))
                {
                    verified = verified.Add(keys[i]);
                }
                else if (++missingCount <= IdsShown)
                {
                    missing.Add(ids[i]);
                }
            }

            keys.Clear();
        }

        await foreach (var key in source.StreamEntryKeysAsync(campaign.Id, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
            if (keys.Count == batchSize)
            {
                await CheckAsync().ConfigureAwait(false);
            }
        }

        if (keys.Count > 0)
        {
            await CheckAsync().ConfigureAwait(false);
        }

        if (missingCount > 0)
        {
            throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table,
                $"MySQL has {verified.Count + missingCount:N0} rows but database {database} holds documents of campaign {campaign.Id} for only {verified.Count:N0} of them; " +
                $"missing (or saying another campaign) {missingCount:N0}: {string.Join(", ", missing)}{(missingCount > missing.Count ? ", …" : "")}");
        }

        return verified;
    }

    private async Task<long> RemoveDocumentsWithoutRowsAsync(CampaignInfo campaign, CancellationToken cancellationToken)
    {
        // Collect first, delete after: deleting while paging through the index would move the pages.
        var strays = new List<string>();
        var page = new List<string>(batchSize);
        await foreach (var id in store.StreamCampaignDocumentIdsAsync(database, ContestEntries.DocumentType, campaign.Id, batchSize, cancellationToken).ConfigureAwait(false))
        {
            page.Add(id);
            if (page.Count == batchSize)
            {
                strays.AddRange(await FindStraysAsync(campaign, page, cancellationToken).ConfigureAwait(false));
                page.Clear();
            }
        }

        strays.AddRange(await FindStraysAsync(campaign, page, cancellationToken).ConfigureAwait(false));

        long removed = 0;
        foreach (var chunk in strays.Chunk(batchSize))
        {
            removed += await RemoveAsync(campaign, chunk, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>
    /// Deletes those of <paramref name="chunk"/> that still say they belong to the campaign, at the
    /// revision that says so: a document another archiver has rewritten for its own campaign
    /// meanwhile answers a conflict, is read again, and is then left alone.
    /// </summary>
    private async Task<long> RemoveAsync(CampaignInfo campaign, string[] chunk, CancellationToken cancellationToken)
    {
        long removed = 0;
        var ids = chunk.ToList();
        for (var attempt = 1; ids.Count > 0; attempt++)
        {
            var stored = await store.GetAsync(database, ids, cancellationToken).ConfigureAwait(false);
            var deletions = stored.Where(d => d.Exists && d.Body is { } body && SaysCampaign(body, campaign.Id)).Select(d =>
            {
                DocumentIds.TryParseKey(ContestEntries.Table, d.Id, out var key);
                return new DocumentWrite(new DeletedDocument(d.Id, ContestEntries.Table, key), d.Rev);
            }).ToList();
            if (deletions.Count == 0)
            {
                break;
            }

            var results = await store.SaveAsync(database, deletions, cancellationToken).ConfigureAwait(false);
            removed += results.Count(r => r.Succeeded);
            var refused = results.FirstOrDefault(r => !r.Succeeded && !r.IsConflict);
            if (refused is not null)
            {
                throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table,
                    $"database {database} holds document {refused.Id} of campaign {campaign.Id} whose row is not in the campaign, and refused its removal: {refused.Error}: {refused.Reason}");
            }

            ids = results.Where(r => r.IsConflict).Select(r => r.Id).ToList();
            if (ids.Count > 0 && attempt == MaxRemovalAttempts)
            {
                throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table,
                    $"document {ids[0]} of campaign {campaign.Id} in database {database} keeps changing while it is being removed");
            }
        }

        return removed;
    }

    private static bool SaysCampaign(JsonElement body, long campaignId) =>
        body.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == ContestEntries.DocumentType
        && body.TryGetProperty("campaign_id", out var campaign) && campaign.ValueKind == JsonValueKind.Number
        && campaign.TryGetInt64(out var value) && value == campaignId;

    /// <summary>Ids of the page whose row is not an entry of the campaign (or that are not row ids of ours at all).</summary>
    private async Task<IEnumerable<string>> FindStraysAsync(CampaignInfo campaign, List<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var keys = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (DocumentIds.TryParseKey(ContestEntries.Table, id, out var key))
            {
                keys[id] = key;
            }
        }

        var rows = await source.FindEntryKeysAsync(campaign.Id, keys.Values.ToList(), cancellationToken).ConfigureAwait(false);
        return ids.Where(id => !keys.TryGetValue(id, out var key) || !rows.Contains(key)).ToList();
    }
}
