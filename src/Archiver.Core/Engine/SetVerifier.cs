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
                return new VerifiedSet(set, fingerprint, checksum, revisions) { ArchiveRevisions = archive.Value };
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
        var expected = rollups.Build();
        var (rollupStart, rollupEnd) = DocumentIds.RollupRange(set.Table, campaign.Id);
        var index = 0;
        await foreach (var document in store.ReadRangeAsync(set.RollupDatabase, rollupStart, rollupEnd, includeDocs: false, RevisionPairing.PageSize, cancellationToken).ConfigureAwait(false))
        {
            if (index == expected.Count || !string.Equals(expected[index].Id, document.Id, StringComparison.Ordinal))
            {
                return (null, null, $"rollup {document.Id} is not the next minute with rows");
            }

            rollupDigest.Add(document.Id, DocumentContent.Hash(expected[index++]), document.Rev!);
            archive.Add(document.Id, document.Rev!);
        }

        if (index != expected.Count || !rollupDigest.Matches(written.Rollups))
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

        await foreach (var (row, document) in RowDocumentJoin.JoinAsync(source, store, set, campaign.Id, KeyRange.All, includeDocs: true, pageSize, cancellationToken).ConfigureAwait(false))
        {
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
            archive.Add(document.Id, document.Rev!);
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
        return new VerifiedSet(set, fingerprint, checksum.Value) { ArchiveRevisions = archive.Value };
    }

    /// <summary>
    /// The stored rollups must be exactly the rollups of the rows just read: same minutes, same
    /// content. That implies the "counts add up to the row count", since the rebuilt ones
    /// do by construction; a separate sum would be a check that cannot fail.
    /// </summary>
    internal async Task VerifyRollupsAsync(
        ArchiveSet set, CampaignInfo campaign, IReadOnlyList<RollupDocument> rollups, RevisionDigest archive, Func<string, string> fail, CancellationToken cancellationToken)
    {
        var expected = rollups.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var wrong = new Problems();
        var listed = new List<(string Id, string Rev)>(expected.Count);
        var (start, end) = DocumentIds.RollupRange(set.Table, campaign.Id);
        await foreach (var document in store.ReadRangeAsync(set.RollupDatabase, start, end, includeDocs: true, pageSize, cancellationToken).ConfigureAwait(false))
        {
            listed.Add((document.Id, document.Rev!));
            if (!expected.Remove(document.Id, out var rollup))
            {
                wrong.Add($"{document.Id} (a minute without rows)");
            }
            else
            {
                Compare(rollup, document);
            }
        }

        if (expected.Count > 0)
        {
            // On a cluster, a range of _all_docs is answered by one copy of each shard range, which may
            // not hold yet a rollup that a write quorum acknowledged a moment ago; a read by id asks a
            // quorum of copies. So a rollup the range did not list counts as missing only when that
            // read does not find it either. Found ones join the digest in id order, the range's order.
            foreach (var document in await store.GetAsync(set.RollupDatabase, [.. expected.Keys], cancellationToken).ConfigureAwait(false))
            {
                if (document.Rev is not null && !document.Deleted && expected.Remove(document.Id, out var rollup))
                {
                    listed.Add((document.Id, document.Rev));
                    Compare(rollup, document);
                }
            }

            listed.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        }

        foreach (var (id, rev) in listed)
        {
            archive.Add(id, rev);
        }

        foreach (var id in expected.Keys)
        {
            wrong.Add($"{id} (missing)");
        }

        if (wrong.Count > 0)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table, fail($"{wrong.Count:N0} rollups in {set.RollupDatabase} do not match the rows ({wrong}); run again to rebuild them"));
        }

        void Compare(RollupDocument rollup, StoredDocument document)
        {
            var body = document.Body ?? default;
            if (!DocumentContent.Matches(rollup, body))
            {
                wrong.Add(document.Id, () => $"{document.Id}: {DocumentContent.FirstDifference(rollup, body)}");
            }
        }
    }
}
