using Archiver.Documents;
using Archiver.Entries;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>
/// Proves, before the flag, that the archive holds exactly the campaign's rows: a live document
/// for every key MySQL has now, and no other document of the campaign. Documents whose row left
/// the campaign (deleted after an interrupted run) are removed first: until the flag, MySQL is the truth.
/// </summary>
internal sealed class ArchiveVerifier(IArchiveSource source, IDocumentStore store, string database, int batchSize)
{
    private const int KeysShown = 10;

    /// <summary>Returns the fingerprint of the verified keys, which the flag transaction compares with the rows as they are then.</summary>
    public async Task<RowFingerprint> VerifyAsync(CampaignInfo campaign, CampaignTally tally, CancellationToken cancellationToken)
    {
        var verified = await CheckEveryRowHasADocumentAsync(campaign, cancellationToken).ConfigureAwait(false);
        var counted = await store.CountCampaignDocumentsAsync(database, ContestEntries.DocumentType, campaign.Id, cancellationToken).ConfigureAwait(false);
        if (counted == verified.Count)
        {
            return verified;
        }

        if (counted > verified.Count)
        {
            var removed = await RemoveDocumentsWithoutRowsAsync(campaign, cancellationToken).ConfigureAwait(false);
            tally.Documents = tally.Documents with { Removed = tally.Documents.Removed + removed };
            counted = await store.CountCampaignDocumentsAsync(database, ContestEntries.DocumentType, campaign.Id, cancellationToken).ConfigureAwait(false);
        }

        if (counted != verified.Count)
        {
            throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table,
                $"MySQL has {verified.Count:N0} rows of campaign {campaign.Id} but database {database} counts {counted:N0} documents of it");
        }

        return verified;
    }

    private async Task<RowFingerprint> CheckEveryRowHasADocumentAsync(CampaignInfo campaign, CancellationToken cancellationToken)
    {
        var verified = RowFingerprint.Empty;
        var missing = new List<string>();
        long missingCount = 0;
        var keys = new List<long>(batchSize);

        async Task CheckAsync()
        {
            var ids = keys.Select(k => DocumentIds.ForRow(ContestEntries.Table, k)).ToList();
            var stored = await store.GetAsync(database, ids, includeDocs: false, cancellationToken).ConfigureAwait(false);
            var live = stored.Where(d => d.Exists).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++)
            {
                if (live.Contains(ids[i]))
                {
                    verified = verified.Add(keys[i]);
                }
                else if (++missingCount <= KeysShown)
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
                $"MySQL has {verified.Count + missingCount:N0} rows but database {database} holds documents for only {verified.Count:N0} of them; missing {missingCount:N0}: {string.Join(", ", missing)}{(missingCount > missing.Count ? ", …" : "")}");
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
            var stored = await store.GetAsync(database, chunk, includeDocs: false, cancellationToken).ConfigureAwait(false);
            var deletions = stored.Where(d => d.Exists).Select(d =>
            {
                DocumentIds.TryParseKey(ContestEntries.Table, d.Id, out var key);
                return new DocumentWrite(new DeletedDocument(d.Id, ContestEntries.Table, key), d.Rev);
            }).ToList();
            var results = await store.SaveAsync(database, deletions, cancellationToken).ConfigureAwait(false);
            var failed = results.FirstOrDefault(r => !r.Succeeded);
            if (failed is not null)
            {
                throw new ArchiveVerificationException(campaign.Id, ContestEntries.Table,
                    $"database {database} holds document {failed.Id} of campaign {campaign.Id} whose row is not in MySQL, and refused its removal: {failed.Error}: {failed.Reason}");
            }

            removed += results.Count;
        }

        return removed;
    }

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
