using Archiver.Documents;
using Archiver.Rollups;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>
/// Proves, before the flag, that a campaign's archive of one set is exactly its rows. MySQL's rows
/// (in key order) and the campaign's <c>_all_docs</c> range (in id order, which is key order) are read
/// side by side: every row must have a document whose content hash equals the row's, as many rows
/// must be read as the fingerprint counted, and the stored rollups must be exactly the rollups of
/// the rows. The checksum over all keys and contents (SHA-256 over the rows' content hashes in key
/// order) is what the run reports for the set; every document having its row's hash, and no other
/// document being in the range, is what makes it the archive's checksum too. Documents in the range
/// without a row (the row was deleted or moved after an interrupted run) are removed first: until
/// the flag, MySQL is the truth. The fingerprint taken before reading goes to the flag transaction,
/// which refuses if the rows changed after they were read.
/// </summary>
internal sealed class SetVerifier(IArchiveSource source, IDocumentStore store, int pageSize)
{
    private const int Shown = 5;

    public async Task<VerifiedSet> VerifyAsync(ArchiveSet set, CampaignInfo campaign, CampaignTally tally, CancellationToken cancellationToken)
    {
        var fingerprint = await source.GetFingerprintAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
        var rollups = new RollupBuilder(set, campaign.Id);
        using var checksum = new ArchiveChecksum();
        var missing = new Problems();
        var differing = new Problems();
        var strays = new List<StoredDocument>();

        var (start, end) = DocumentIds.RowRange(set.Table, campaign.Id);
        await using var rows = source.StreamRowsAsync(set, campaign.Id, store.MaxDocumentBytes, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var documents = store.ReadRangeAsync(set.Database, start, end, includeDocs: true, pageSize, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var haveRow = await rows.MoveNextAsync().ConfigureAwait(false);
        var haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
        while (haveRow || haveDocument)
        {
            var order = !haveRow ? 1 : !haveDocument ? -1 : string.CompareOrdinal(rows.Current.Id, documents.Current.Id);
            if (order > 0)
            {
                strays.Add(documents.Current);
                haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
                continue;
            }

            var row = rows.Current;
            rollups.Add(row);
            var expected = DocumentContent.Hash(row);
            checksum.Add(expected);
            if (order < 0)
            {
                missing.Add(row.Id);
            }
            else
            {
                var body = documents.Current.Body ?? default;
                if (!expected.Equals(DocumentContent.Hash(documents.Current.Id, body)))
                {
                    differing.Add(differing.Count < Shown ? $"{row.Id}: {DocumentContent.FirstDifference(row, body)}" : row.Id);
                }

                haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
            }

            haveRow = await rows.MoveNextAsync().ConfigureAwait(false);
        }

        if (strays.Count > 0)
        {
            var removed = await new BatchWriter(store, set.Database).RemoveAsync(strays, id => $"{set.Table} row no longer in campaign {campaign.Id}", cancellationToken).ConfigureAwait(false);
            tally.Documents += new BatchTotals(0, 0, 0, 0, removed);
        }

        string Fail(string what) => $"campaign {campaign.Id}, set {set.Table}, database {set.Database}: {what}";
        if (missing.Count > 0 || differing.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"{missing.Count:N0} of {rollups.Rows:N0} rows have no document ({missing})");
            }

            if (differing.Count > 0)
            {
                parts.Add($"{differing.Count:N0} documents differ from their rows ({differing})");
            }

            throw new ArchiveVerificationException(campaign.Id, set.Table, Fail(string.Join("; ", parts) + "; run again to copy them"));
        }

        if (rollups.Rows != fingerprint.Count)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table,
                Fail($"MySQL counted {fingerprint.Count:N0} rows before verification and {rollups.Rows:N0} while verifying; rows are still changing"));
        }

        await VerifyRollupsAsync(set, campaign, rollups, Fail, cancellationToken).ConfigureAwait(false);
        return new VerifiedSet(set, fingerprint, checksum.Value);
    }

    /// <summary>
    /// The stored rollups must be exactly the rollups of the rows just read: same minutes, same
    /// content. That implies the "counts add up to the row count", since the rebuilt ones
    /// do by construction; a separate sum would be a check that cannot fail.
    /// </summary>
    private async Task VerifyRollupsAsync(ArchiveSet set, CampaignInfo campaign, RollupBuilder rollups, Func<string, string> fail, CancellationToken cancellationToken)
    {
        var expected = rollups.Build().ToDictionary(r => r.Id, StringComparer.Ordinal);
        var wrong = new Problems();
        var (start, end) = DocumentIds.RollupRange(set.Table, campaign.Id);
        await foreach (var document in store.ReadRangeAsync(set.Database, start, end, includeDocs: true, pageSize, cancellationToken).ConfigureAwait(false))
        {
            var body = document.Body ?? default;
            if (!expected.Remove(document.Id, out var rollup))
            {
                wrong.Add($"{document.Id} (a minute without rows)");
            }
            else if (!DocumentContent.Matches(rollup, body))
            {
                wrong.Add(wrong.Count < Shown ? $"{document.Id}: {DocumentContent.FirstDifference(rollup, body)}" : document.Id);
            }
        }

        foreach (var id in expected.Keys)
        {
            wrong.Add($"{id} (missing)");
        }

        if (wrong.Count > 0)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table, fail($"{wrong.Count:N0} rollups do not match the rows ({wrong}); run again to rebuild them"));
        }
    }

    /// <summary>A count of problems and the first few of them, for a message.</summary>
    private sealed class Problems
    {
        private readonly List<string> _shown = [];

        public long Count { get; private set; }

        public void Add(string problem)
        {
            if (Count++ < Shown)
            {
                _shown.Add(problem);
            }
        }

        public override string ToString() => string.Join(", ", _shown) + (Count > _shown.Count ? ", …" : "");
    }
}
