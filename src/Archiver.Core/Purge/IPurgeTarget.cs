using Archiver.Sets;
using Archiver.Source;

namespace Archiver.Purge;

/// <summary>The MySQL side of the purge: eligible campaigns, chunk fingerprints, the purge journal and the delete transactions.</summary>
public interface IPurgeTarget
{
    /// <summary>Creates the purge journal's table if it does not exist (never called by a dry run).</summary>
    Task EnsureJournalAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Campaigns with <c>archived = 1</c>, archived at least <paramref name="olderThan"/> ago by the database's
    /// clock (any when null), that still have rows in at least one of <paramref name="sets"/>; oldest archive first.
    /// </summary>
    Task<IReadOnlyList<CampaignInfo>> FindArchivedCampaignsAsync(IReadOnlyList<ArchiveSet> sets, TimeSpan? olderThan, CancellationToken cancellationToken = default);

    /// <summary>
    /// The campaign's rows of the set with keys in <paramref name="range"/> cut into chunks of
    /// <paramref name="batchSize"/> in key order, each with its fingerprint.
    /// </summary>
    Task<IReadOnlyList<PurgeChunk>> ReadChunksAsync(ArchiveSet archiveSet, long campaignId, int batchSize, KeyRange range, CancellationToken cancellationToken = default);

    /// <summary>The journal's entries of a campaign, by table; empty when the journal's table does not exist.</summary>
    Task<IReadOnlyDictionary<string, PurgeJournalEntry>> ReadJournalAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>What the archive recorded of each set when it flagged the campaign, by table; empty for a campaign archived before version 3 of Archiver's tables.</summary>
    Task<IReadOnlyDictionary<string, ArchivedSetRecord>> ReadArchivedSetsAsync(long campaignId, CancellationToken cancellationToken = default);

    /// <summary>
    /// What the flag recorded of each chunk of the set (<c>archiver_archived_chunks</c>), in key order;
    /// empty for a set flagged before version 4 of Archiver's tables.
    /// </summary>
    Task<IReadOnlyList<ArchivedChunk>> ReadArchivedChunksAsync(long campaignId, string table, CancellationToken cancellationToken = default);

    /// <summary>Records that the purge of a set starts, with the archive as verified; keeps an existing entry as it is.</summary>
    Task RecordStartAsync(long campaignId, string table, long documents, string checksum, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: locks the chunk's key range, proves its rows are the verified ones, deletes
    /// them, adds them to the journal's <c>rows_deleted</c> (which must be <paramref name="deletedBefore"/>
    /// until then) and commits. Throws <see cref="ArchiveVerificationException"/>, having deleted nothing,
    /// when the rows differ. Returns the rows deleted.
    /// </summary>
    Task<long> DeleteChunkAsync(ArchiveSet archiveSet, long campaignId, PurgeChunk chunk, long deletedBefore, CancellationToken cancellationToken = default);

    /// <summary>Records that the set has no rows of the campaign left.</summary>
    Task RecordFinishedAsync(long campaignId, string table, CancellationToken cancellationToken = default);
}
