using System.Globalization;
using System.Text.Json;
using Archiver.Documents;
using Archiver.Rollups;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Engine;

/// <summary>
/// Proves, before the flag, that a campaign's archive of one set is exactly its rows. MySQL's rows
/// (in key order) and the campaign's <c>_all_docs</c> range (in id order, which is key order) are read
/// side by side: every row must have a document whose content hash equals the row's, the counts must
/// be equal, the checksums over all keys and contents must be equal, and the stored rollups must be
/// exactly the rollups of the rows, their counts adding up to the row count. Documents in the range
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
        using var rowSum = new ArchiveChecksum();
        using var documentSum = new ArchiveChecksum();
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
            if (order < 0)
            {
                var row = rows.Current;
                rollups.Add(row);
                rowSum.Add(DocumentContent.Hash(row));
                missing.Add(row.Id);
                haveRow = await rows.MoveNextAsync().ConfigureAwait(false);
            }
            else if (order > 0)
            {
                strays.Add(documents.Current);
                haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
            }
            else
            {
                var row = rows.Current;
                var body = documents.Current.Body ?? default;
                rollups.Add(row);
                var expected = DocumentContent.Hash(row);
                var actual = DocumentContent.Hash(documents.Current.Id, body);
                rowSum.Add(expected);
                documentSum.Add(actual);
                if (!expected.Equals(actual))
                {
                    differing.Add(differing.Count < Shown ? $"{row.Id}: {DocumentContent.FirstDifference(row, body)}" : row.Id);
                }

                haveRow = await rows.MoveNextAsync().ConfigureAwait(false);
                haveDocument = await documents.MoveNextAsync().ConfigureAwait(false);
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
                parts.Add($"{missing.Count:N0} of {rowSum.Count:N0} rows have no document ({missing})");
            }

            if (differing.Count > 0)
            {
                parts.Add($"{differing.Count:N0} documents differ from their rows ({differing})");
            }

            throw new ArchiveVerificationException(campaign.Id, set.Table, Fail(string.Join("; ", parts) + "; run again to copy them"));
        }

        if (rowSum.Count != fingerprint.Count)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table,
                Fail($"MySQL counted {fingerprint.Count:N0} rows before verification and {rowSum.Count:N0} while verifying; rows are still changing"));
        }

        if (documentSum.Count != rowSum.Count || !string.Equals(documentSum.Value, rowSum.Value, StringComparison.Ordinal))
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table,
                Fail($"checksum over {rowSum.Count:N0} rows is {rowSum.Value}, over {documentSum.Count:N0} documents {documentSum.Value}"));
        }

        var stored = await VerifyRollupsAsync(set, campaign, rollups, Fail, cancellationToken).ConfigureAwait(false);
        return new VerifiedSet(set, fingerprint, documentSum.Value, stored);
    }

    private async Task<long> VerifyRollupsAsync(ArchiveSet set, CampaignInfo campaign, RollupBuilder rollups, Func<string, string> fail, CancellationToken cancellationToken)
    {
        var expected = rollups.Build().ToDictionary(r => r.Id, StringComparer.Ordinal);
        var wrong = new Problems();
        long counted = 0;
        long stored = 0;
        var (start, end) = DocumentIds.RollupRange(set.Table, campaign.Id);
        await foreach (var document in store.ReadRangeAsync(set.Database, start, end, includeDocs: true, pageSize, cancellationToken).ConfigureAwait(false))
        {
            stored++;
            var body = document.Body ?? default;
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("count", out var count) && count.TryGetInt64(out var value))
            {
                counted += value;
            }

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

        if (counted != rollups.Rows)
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table,
                fail(string.Create(CultureInfo.InvariantCulture, $"the rollups' counts add up to {counted:N0}, but there are {rollups.Rows:N0} rows")));
        }

        return stored;
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
