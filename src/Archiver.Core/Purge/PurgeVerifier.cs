using Archiver.Documents;
using Archiver.Engine;
using Archiver.Sets;
using Archiver.Source;
using Microsoft.Extensions.Logging;

namespace Archiver.Purge;

/// <summary>
/// Proves, before a campaign's rows of one set are deleted, that the archive holds every one of them.
/// As in <see cref="Engine.SetVerifier"/>, the rows (key order) and the campaign's <c>_all_docs</c>
/// range (id order, which is key order) are read side by side, and every row must have a document
/// with its content hash. Unlike it, documents without a row are expected (after a partial purge they
/// are exactly the rows already deleted) and are never removed: they count in the archive's document
/// count and checksum, which must equal the rows' on a first purge (the archive is exactly the rows)
/// and the journal's on a resumed one (the archive is unchanged since the purge started).
/// The delete chunks are read from MySQL before the rows are streamed, and the set's fingerprint is
/// taken after: the streamed keys must be the chunks' keys and the fingerprint their sum, so the
/// chunks describe exactly the rows that were verified.
/// </summary>
/// <remarks>
/// A first purge of a set the archive verified by revisions tries ids and revisions first, reading no
/// document body: the rows and the ids and revisions of the range, paired one to one, must give the
/// <see cref="Engine.RevisionDigest"/> the flag transaction recorded. A revision names one immutable
/// content, and at the flag every (id, content hash, revision) was proved, so an equal digest proves
/// every row still has a document holding exactly its content and nothing else is in the range.
/// Anything else (a document rewritten, even identically; a row changed; a resumed purge, whose range
/// holds documents of rows already deleted) falls back to reading every body, which names what differs.
/// A failure's message ends with <c>consequence</c>: for the purge, that the rows are not purged; for a
/// re-archive of a purged campaign (<see cref="Engine.PurgedSetVerifier"/>), that it is not flagged.
/// </remarks>
internal sealed class PurgeVerifier(IArchiveSource source, IPurgeTarget target, IDocumentStore store, int pageSize, ILogger logger, string consequence = "its rows are not purged")
{
    /// <summary>
    /// Verifies the set; <paramref name="eachDocument"/>, when given, sees every document of the range (each join step that has one)
    /// with its body (and makes the verification read them all, by contents).
    /// </summary>
    public async Task<PurgeSetPlan> VerifyAsync(
        ArchiveSet set, CampaignInfo campaign, PurgeJournalEntry? journal, ArchivedSetRecord? archived, int batchSize, Action<DocumentPair<RowDocument>>? eachDocument,
        CancellationToken cancellationToken)
    {
        var chunks = await target.ReadChunksAsync(set, campaign.Id, batchSize, KeyRange.All, cancellationToken).ConfigureAwait(false);
        if (journal is null && eachDocument is null && archived?.RevisionDigest is { } recorded)
        {
            var (plan, mismatch) = await VerifyRevisionsAsync(set, campaign, chunks, batchSize, archived.Rows, recorded, cancellationToken).ConfigureAwait(false);
            if (plan is not null)
            {
                return plan;
            }

            Log.PurgeVerifyingDocuments(logger, campaign.Id, set.Table, mismatch!);
        }

        return await VerifyContentsAsync(set, campaign, chunks, journal, batchSize, eachDocument, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The plan when ids and revisions prove the archive unchanged since the flag; else why not.</summary>
    private async Task<(PurgeSetPlan? Plan, string? Mismatch)> VerifyRevisionsAsync(
        ArchiveSet set, CampaignInfo campaign, IReadOnlyList<PurgeChunk> chunks, int batchSize, long archivedRows, string recorded, CancellationToken cancellationToken)
    {
        var streamed = new PurgeChunkBuilder(batchSize);
        using var checksum = new ArchiveChecksum();
        using var digest = new Engine.RevisionDigest();
        var unpaired = await Engine.RevisionPairing.PairAsync(source, store, set, campaign.Id, KeyRange.All, digest, checksum, row => streamed.Add(row.Key, 0), null, cancellationToken).ConfigureAwait(false);
        if (unpaired is not null)
        {
            return (null, unpaired);
        }

        if (digest.Count != archivedRows || !string.Equals(digest.Value, recorded, StringComparison.Ordinal))
        {
            return (null, "the rows, documents or revisions are not the ones proved when the campaign was flagged");
        }

        var after = await source.GetFingerprintAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
        if (after != Sum(chunks) || !SameKeys(chunks, streamed.Build()))
        {
            return (null, "the rows changed while they were verified");
        }

        return (new PurgeSetPlan(set, chunks, digest.Count, digest.Count, checksum.Value, null, ByRevisions: true), null);
    }

    /// <summary>Reads every document with its body beside its row; names what is missing or differs.</summary>
    private async Task<PurgeSetPlan> VerifyContentsAsync(
        ArchiveSet set, CampaignInfo campaign, IReadOnlyList<PurgeChunk> chunks, PurgeJournalEntry? journal, int batchSize, Action<DocumentPair<RowDocument>>? eachDocument,
        CancellationToken cancellationToken)
    {
        var streamed = new PurgeChunkBuilder(batchSize);
        using var rowChecksum = new ArchiveChecksum();
        using var documentChecksum = new ArchiveChecksum();
        long documentCount = 0;
        var missing = new Problems();
        var differing = new Problems();
        var unmatched = new Problems();

        await foreach (var pair in RowDocumentJoin.JoinAsync(source, store, set, campaign.Id, KeyRange.All, includeDocs: true, pageSize, cancellationToken).ConfigureAwait(false))
        {
            var (row, document) = pair;
            var rowHash = row is null ? null : DocumentContent.Hash(row);
            if (document is not null)
            {
                eachDocument?.Invoke(pair);
                var stored = DocumentContent.Hash(document.Id, document.Body ?? default);
                documentChecksum.Add(stored);
                documentCount++;
                if (row is null)
                {
                    // A document whose row is gone: purged already, or never a row of this campaign.
                    unmatched.Add(document.Id);
                }
                else if (!stored.Equals(rowHash))
                {
                    differing.Add(row.Id, () => $"{row.Id}: {DocumentContent.FirstDifference(row, document.Body ?? default)}");
                }
            }
            else
            {
                missing.Add(row!.Id);
            }

            if (row is not null)
            {
                rowChecksum.Add(rowHash!);
                streamed.Add(row.Key, 0);
            }
        }

        string Fail(string what) => $"campaign {campaign.Id}, set {set.Table}, database {set.Database}: {what}; {consequence}";
        var rowCount = streamed.Rows;
        if (Unarchived(missing, differing, rowCount) is { } unarchived)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table, Fail(unarchived));
        }

        var after = await source.GetFingerprintAsync(set, campaign.Id, cancellationToken).ConfigureAwait(false);
        var before = Sum(chunks);
        if (after != before || !SameKeys(chunks, streamed.Build()))
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table,
                Fail($"the rows changed while they were verified (before: {before}; read: {rowCount:N0} rows; after: {after}); run again"));
        }

        var checksum = documentChecksum.Value;
        if (journal is null)
        {
            if (documentCount != rowCount || checksum != rowChecksum.Value)
            {
                var strays = unmatched.Count > 0 ? $"; documents without a row: {unmatched}" : "";
                throw new ArchiveVerificationException(campaign.Id, set.Table,
                    Fail($"the archive holds {documentCount:N0} documents (checksum {checksum}) but MySQL has {rowCount:N0} rows (checksum {rowChecksum.Value}){strays}; a first purge needs the archive to be exactly the rows"));
            }
        }
        else if (documentCount != journal.Documents || checksum != journal.Checksum)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table,
                Fail($"the archive changed since this purge started: it holds {documentCount:N0} documents (checksum {checksum}), the purge journal recorded {journal.Documents:N0} (checksum {journal.Checksum}) with {journal.RowsDeleted:N0} rows deleted"));
        }

        return new PurgeSetPlan(set, chunks, rowCount, documentCount, checksum, journal);
    }

    /// <summary>What the comparison of <paramref name="rows"/> rows with their documents found wrong, or null.</summary>
    internal static string? Unarchived(Problems missing, Problems differing, long rows)
    {
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"{missing.Count:N0} of {rows:N0} rows have no document ({missing})");
        }

        if (differing.Count > 0)
        {
            parts.Add($"{differing.Count:N0} documents differ from their rows ({differing})");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>Same key ranges, counts and key sums: the streamed rows are the chunks' rows (contents are the fingerprint's part).</summary>
    internal static bool SameKeys(IReadOnlyList<PurgeChunk> chunks, IReadOnlyList<PurgeChunk> streamed) =>
        chunks.Count == streamed.Count && chunks.Zip(streamed).All(p =>
            p.First.FirstKey == p.Second.FirstKey && p.First.LastKey == p.Second.LastKey
            && p.First.Fingerprint.Count == p.Second.Fingerprint.Count && p.First.Fingerprint.KeySum == p.Second.Fingerprint.KeySum);

    internal static SetFingerprint Sum(IReadOnlyList<PurgeChunk> chunks) => new(
        chunks.Sum(c => c.Fingerprint.Count), chunks.Sum(c => c.Fingerprint.KeySum), chunks.Sum(c => c.Fingerprint.ContentSum));
}
