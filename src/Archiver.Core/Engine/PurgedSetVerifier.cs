using System.Globalization;
using Archiver.Documents;
using Archiver.Purge;
using Archiver.Rollups;
using Archiver.Sets;
using Archiver.Source;
using Microsoft.Extensions.Logging;

namespace Archiver.Engine;

/// <summary>
/// Proves, before an unflagged campaign is flagged again, the archive of a set some of whose rows a
/// purge already deleted (the purge journal counts them). Those documents are the only copy of their
/// rows, so nothing of the set's row range is written or removed: the remaining rows must each have a
/// document with their exact content, and the whole range (documents of purged rows included) must
/// still be exactly the archive the purge journal recorded when the purge started, which is what the
/// purge proved equal to the rows before it deleted any. Anything else refuses the campaign, naming
/// what differs. The rollups are rebuilt from every document of the range (never from the rows left
/// in MySQL alone), saved when they differ, and verified.
/// </summary>
internal sealed class PurgedSetVerifier(
    IArchiveSource source, IPurgeTarget purges, IDocumentStore store, SetWriter writer, SetVerifier verifier, int batchSize, ILogger logger)
{
    /// <param name="set">The set.</param>
    /// <param name="campaign">The campaign, read under its lock.</param>
    /// <param name="journal">The purge journal's entry of the set, with rows deleted.</param>
    /// <param name="flagged">What the campaign's first flag recorded of the set; null for a campaign flagged before Archiver's tables had that record.</param>
    /// <param name="tally">The campaign's tally.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    public async Task<VerifiedSet> VerifyAsync(
        ArchiveSet set, CampaignInfo campaign, PurgeJournalEntry journal, ArchivedSetRecord? flagged, CampaignTally tally, CancellationToken cancellationToken)
    {
        Log.VerifyingPurgedSet(logger, campaign.Id, set.Table, journal.RowsDeleted);
        var consequence = string.Create(CultureInfo.InvariantCulture,
            $"not flagged: its archive holds the only copy of {journal.RowsDeleted:N0} purged rows and is never rewritten (README: re-running a purged campaign)");

        // A purge starts only on an archive it proved equal to the flagged rows, so its record is the
        // flag's: when they disagree, one of Archiver's own tables was changed by hand.
        if (flagged is not null && (flagged.Rows != journal.Documents || !string.Equals(flagged.Checksum, journal.Checksum, StringComparison.Ordinal)))
        {
            throw new ArchiveVerificationException(campaign.Id, set.Table, string.Create(CultureInfo.InvariantCulture,
                $"campaign {campaign.Id}, set {set.Table}, database {set.Database}: the purge journal (archiver_purge_sets: {journal.Documents:N0} documents, checksum {journal.Checksum}) and the record of the campaign's flag (archiver_archived_sets: {flagged.Rows:N0} rows, checksum {flagged.Checksum}) disagree; {consequence}"));
        }

        var rollups = new RollupBuilder(set, campaign.Id);
        using var archive = new RevisionDigest();
        var plan = await new PurgeVerifier(source, purges, store, batchSize, logger, consequence).VerifyAsync(set, campaign, journal, null, batchSize, pair =>
        {
            rollups.Add(pair.Document!);
            archive.Add(pair);
        }, cancellationToken).ConfigureAwait(false);
        tally.RowsVerified += plan.Rows;

        var minutes = rollups.Build();
        using (var saved = new RevisionDigest())
        {
            await writer.WriteRollupsAsync(set, campaign, minutes, tally, saved, cancellationToken).ConfigureAwait(false);
        }

        string Fail(string what) => $"campaign {campaign.Id}, set {set.Table}, database {set.Database}: {what}; {consequence}";
        await verifier.VerifyRollupsAsync(set, campaign, minutes, archive, Fail, cancellationToken).ConfigureAwait(false);
        return new VerifiedSet(set, PurgeVerifier.Sum(plan.Chunks), plan.Checksum) { ArchiveRevisions = archive.Value, ArchiveReadById = [.. archive.ReadById], PurgedRows = journal.RowsDeleted };
    }
}
