using Archiver.Documents;
using Archiver.Rollups;
using Archiver.Sets;
using Archiver.Source;
using Microsoft.Extensions.Logging;

namespace Archiver.Engine;

/// <summary>
/// Proves, before the flag, that a campaign's archive of one set is exactly its rows.
/// </summary>
/// <remarks>
/// <para>
/// First by revisions, reading no document body: MySQL's rows (in key order) and the ids and
/// revisions of the campaign's <c>_all_docs</c> range (in id order, which is key order) are read side
/// by side into a <see cref="RevisionDigest"/>, which must equal the one the writer built from what it
/// saved and the revisions CouchDB answered; the same for the rollups rebuilt from the rows. A
/// revision names one immutable content, so that proves every row has a document holding exactly
/// its content, and nothing else is in the range, at a fraction of the cost of reading bodies.
/// </para>
/// <para>
/// When that does not match (a document changed or appeared after it was saved, a row changed), by
/// contents: every row must have a document whose content hash equals the row's, as many rows must be
/// read as the fingerprint counted, and the stored rollups must be exactly the rollups of the rows;
/// documents in the range without a row (deleted or moved after an interrupted run) are removed
/// first, because until the flag MySQL is the truth. Failures name the documents and fields.
/// </para>
/// <para>
/// Either way the checksum over all keys and contents (SHA-256 over the rows' content hashes in key
/// order) is what the run reports for the set, and the fingerprint taken before reading goes to the
/// flag transaction, which refuses if the rows changed after they were read.
/// </para>
/// </remarks>
internal sealed class SetVerifier(IArchiveSource source, IDocumentStore store, int pageSize, ILogger logger, IArchiveProgress? progress)
{
    public async Task<VerifiedSet> VerifyAsync(ArchiveSet set, CampaignInfo campaign, CampaignTally tally, WrittenSet written, CancellationToken cancellationToken)
    {
        var fingerprint = await source.GetFingerprintAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
        var verifiedBefore = tally.RowsVerified;
        using (var archive = new RevisionDigest())
        {
            var (checksum, revisions, mismatch) = await VerifyRevisionsAsync(set, campaign, tally, written, fingerprint, archive, cancellationToken).ConfigureAwait(false);
            if (checksum is not null)
            {
                return new VerifiedSet(set, fingerprint, checksum, revisions) { ArchiveRevisions = archive.Value, ArchiveReadById = [.. archive.ReadById] };
            }

            Log.VerifyingDocuments(logger, campaign.Id, set.Table, mismatch!);
        }

        tally.RowsVerified = verifiedBefore;
        return await VerifyContentsAsync(set, campaign, tally, fingerprint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The set's checksum and revision digest when revisions prove the archive; else why they do not.</summary>
    private async Task<(string? Checksum, string? Revisions, string? Mismatch)> VerifyRevisionsAsync(
        ArchiveSet set, CampaignInfo campaign, CampaignTally tally, WrittenSet written, SetFingerprint fingerprint, RevisionDigest archive,
        CancellationToken cancellationToken)
    {
        var rollups = new RollupBuilder(set, campaign.Id);
        using var checksum = new ArchiveChecksum();
        using var digest = new RevisionDigest();
        var unpaired = await RevisionPairing.PairAsync(source, store, set, campaign.Id, KeyRange.All, digest, checksum, row =>
        {
            rollups.Add(row);
            if (++tally.RowsVerified % pageSize == 0)
            {
                progress?.RowsVerified(campaign, tally.RowsVerified, tally.ExpectedRows);
            }
        }, archive, cancellationToken).ConfigureAwait(false);
        if (unpaired is not null)
        {
            return (null, null, unpaired);
        }

        if (digest.Count != fingerprint.Count)
        {
            return (null, null, $"MySQL counted {fingerprint.Count:N0} rows before verification and {digest.Count:N0} while verifying");
        }

        if (!digest.Matches(written.Rows))
        {
            return (null, null, "a row or a document changed after it was saved");
        }

        using var rollupDigest = new RevisionDigest();
        var (rollupStart, rollupEnd) = DocumentIds.RollupRange(set.Table, campaign.Id);
        await foreach (var pair in DocumentRangeJoin.JoinAsync(rollups.Build().ToAsyncEnumerable(), r => r.Id, store, set.RollupDatabase, rollupStart, rollupEnd, includeDocs: false,
                           RevisionPairing.PageSize, cancellationToken).ConfigureAwait(false))
        {
            var (rollup, document) = pair;
            if (rollup is null || document is null)
            {
                return (null, null, rollup is null ? $"rollup {document!.Id} is not a minute with rows" : $"rollup {rollup.Id} is missing");
            }

            rollupDigest.Add(document.Id, DocumentContent.Hash(rollup), document.Rev!);
            archive.Add(pair);
        }

        if (!rollupDigest.Matches(written.Rollups))
        {
            return (null, null, "the rollups are not the ones saved for these rows");
        }

        return (checksum.Value, digest.Value, null);
    }

    /// <summary>Reads every document with its body and compares it with its row; names what differs.</summary>
    private async Task<VerifiedSet> VerifyContentsAsync(ArchiveSet set, CampaignInfo campaign, CampaignTally tally, SetFingerprint fingerprint, CancellationToken cancellationToken)
    {
        var rollups = new RollupBuilder(set, campaign.Id);
        using var checksum = new ArchiveChecksum();
        using var archive = new RevisionDigest();
        var missing = new Problems();
        var differing = new Problems();
        var strays = new List<StoredDocument>();

        await foreach (var pair in RowDocumentJoin.JoinAsync(source, store, set, campaign.Id, KeyRange.All, includeDocs: true, pageSize, cancellationToken).ConfigureAwait(false))
        {
            var (row, document) = pair;
            if (row is null)
            {
                strays.Add(document!);
                continue;
            }

            rollups.Add(row);
            if (++tally.RowsVerified % pageSize == 0)
            {
                progress?.RowsVerified(campaign, tally.RowsVerified, tally.ExpectedRows);
            }

            var expected = DocumentContent.Hash(row);
            checksum.Add(expected);
            if (document is null)
            {
                missing.Add(row.Id);
                continue;
            }

            var body = document.Body ?? default;
            archive.Add(pair);
            if (!expected.Equals(DocumentContent.Hash(document.Id, body)))
            {
                differing.Add(row.Id, () => $"{row.Id}: {DocumentContent.FirstDifference(row, body)}");
            }
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

        await VerifyRollupsAsync(set, campaign, rollups.Build(), archive, Fail, cancellationToken).ConfigureAwait(false);
        return new VerifiedSet(set, fingerprint, checksum.Value) { ArchiveRevisions = archive.Value, ArchiveReadById = [.. archive.ReadById] };
    }

    /// <summary>
    /// The stored rollups must be exactly the rollups of the rows just read: same minutes, same
    /// content. That implies the "counts add up to the row count", since the rebuilt ones
    /// do by construction; a separate sum would be a check that cannot fail.
    /// </summary>
    internal async Task VerifyRollupsAsync(
        ArchiveSet set, CampaignInfo campaign, IReadOnlyList<RollupDocument> rollups, RevisionDigest archive, Func<string, string> fail, CancellationToken cancellationToken)
    {
        var wrong = new Problems();
        var (start, end) = DocumentIds.RollupRange(set.Table, campaign.Id);
        await foreach (var pair in DocumentRangeJoin.JoinAsync(rollups.ToAsyncEnumerable(), r => r.Id, store, set.RollupDatabase, start, end, includeDocs: true, pageSize, cancellationToken)
                           .ConfigureAwait(false))
        {
            var (rollup, document) = pair;
            if (document is null)
            {
                wrong.Add($"{rollup!.Id} (missing)");
                continue;
            }

            archive.Add(pair);
            var body = document.Body ?? default;
            if (rollup is null)
            {
                wrong.Add($"{document.Id} (a minute without rows)");
            }
            else if (!DocumentContent.Matches(rollup, body))
            {
                wrong.Add(document.Id, () => $"{document.Id}: {DocumentContent.FirstDifference(rollup, body)}");
            }
        }

        if (wrong.Count > 0)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table, fail($"{wrong.Count:N0} rollups in {set.RollupDatabase} do not match the rows ({wrong}); run again to rebuild them"));
        }
    }
}
