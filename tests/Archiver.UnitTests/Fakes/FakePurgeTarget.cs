using Archiver.Purge;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.UnitTests.Fakes;

/// <summary>The purge's MySQL side over <see cref="FakeArchiveSource"/>'s rows, with the journal in memory and the delete transaction's checks.</summary>
public sealed class FakePurgeTarget(FakeArchiveSource source) : IPurgeTarget
{
    public Dictionary<(long CampaignId, string Table), PurgeJournalEntry> Journal { get; } = [];

    public bool JournalCreated { get; private set; }

    /// <summary>Delete transactions committed.</summary>
    public int Deletes { get; private set; }

    /// <summary>Runs at the start of each delete transaction with its number (from 1), e.g. to change rows after verification.</summary>
    public Action<int>? BeforeDelete { get; set; }

    /// <summary>Runs after each committed delete transaction with its number.</summary>
    public Action<int>? AfterDelete { get; set; }

    public Task EnsureJournalAsync(CancellationToken cancellationToken = default)
    {
        JournalCreated = true;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CampaignInfo>> FindArchivedCampaignsAsync(IReadOnlyList<ArchiveSet> sets, TimeSpan? olderThan, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CampaignInfo>>(source.Campaigns
            .Where(c => c.Archived && (olderThan is null || c.ArchivedAt <= c.DatabaseNow - olderThan))
            .Where(c => sets.Any(s => Rows(s, c.Id).Count > 0))
            .OrderBy(c => c.ArchivedAt).ThenBy(c => c.Id)
            .ToList());

    public Task<IReadOnlyList<PurgeChunk>> ReadChunksAsync(ArchiveSet archiveSet, long campaignId, int batchSize, KeyRange range, CancellationToken cancellationToken = default)
    {
        var builder = new PurgeChunkBuilder(batchSize);
        foreach (var row in Rows(archiveSet, campaignId).Where(r => range.Contains((long)r[archiveSet.KeyIndex]!)))
        {
            builder.Add((long)row[archiveSet.KeyIndex]!, FakeArchiveSource.RowCrc(row));
        }

        return Task.FromResult(builder.Build());
    }

    public Task<IReadOnlyDictionary<string, PurgeJournalEntry>> ReadJournalAsync(long campaignId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, PurgeJournalEntry>>(Journal.Where(e => e.Key.CampaignId == campaignId).ToDictionary(e => e.Key.Table, e => e.Value));

    /// <summary>What the fake archive's flag recorded, by (campaign, table).</summary>
    public Dictionary<(long CampaignId, string Table), ArchivedSetRecord> Archived => source.ArchivedSets;

    public Task<IReadOnlyDictionary<string, ArchivedSetRecord>> ReadArchivedSetsAsync(long campaignId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, ArchivedSetRecord>>(source.ArchivedSets.Where(e => e.Key.CampaignId == campaignId).ToDictionary(e => e.Key.Table, e => e.Value));

    /// <summary>What a flag recorded of each chunk of a set, by (campaign, table); the fake flag records none, so the purge verifies sets whole unless a test sets them.</summary>
    public Dictionary<(long CampaignId, string Table), IReadOnlyList<ArchivedChunk>> ArchivedChunks { get; } = [];

    public Task<IReadOnlyList<ArchivedChunk>> ReadArchivedChunksAsync(long campaignId, string table, CancellationToken cancellationToken = default) =>
        Task.FromResult(ArchivedChunks.GetValueOrDefault((campaignId, table)) ?? []);

    public Task RecordStartAsync(long campaignId, string table, long documents, string checksum, CancellationToken cancellationToken = default)
    {
        Journal.TryAdd((campaignId, table), new PurgeJournalEntry(table, documents, checksum, 0, FakeArchiveSource.Now, null));
        return Task.CompletedTask;
    }

    public Task<long> DeleteChunkAsync(ArchiveSet archiveSet, long campaignId, PurgeChunk chunk, long deletedBefore, CancellationToken cancellationToken = default)
    {
        BeforeDelete?.Invoke(Deletes + 1);
        var entry = Journal[(campaignId, archiveSet.Table)];
        if (entry.RowsDeleted != deletedBefore)
        {
            throw new ArchiverException($"journal says {entry.RowsDeleted} rows deleted, the engine counted {deletedBefore}");
        }

        var rows = Rows(archiveSet, campaignId).Where(r => (long)r[archiveSet.KeyIndex]! >= chunk.FirstKey && (long)r[archiveSet.KeyIndex]! <= chunk.LastKey).ToList();
        var current = new SetFingerprint(rows.Count, rows.Sum(r => (decimal)(long)r[archiveSet.KeyIndex]!), rows.Sum(r => (decimal)FakeArchiveSource.RowCrc(r)));
        if (current != chunk.Fingerprint)
        {
            throw new ArchiveVerificationException(campaignId, archiveSet.Table, $"rows with ids {chunk.FirstKey}..{chunk.LastKey} changed after they were verified");
        }

        var table = source.Rows[archiveSet.Table];
        lock (table)
        {
            table.RemoveAll(rows.Contains);
        }

        Journal[(campaignId, archiveSet.Table)] = entry with { RowsDeleted = entry.RowsDeleted + rows.Count };
        Deletes++;
        AfterDelete?.Invoke(Deletes);
        return Task.FromResult((long)rows.Count);
    }

    public Task RecordFinishedAsync(long campaignId, string table, CancellationToken cancellationToken = default)
    {
        if (Journal.TryGetValue((campaignId, table), out var entry))
        {
            Journal[(campaignId, table)] = entry with { FinishedAt = FakeArchiveSource.Now };
        }

        return Task.CompletedTask;
    }

    /// <summary>A snapshot, under the list's lock, as <see cref="FakeArchiveSource"/> takes them.</summary>
    private List<object?[]> Rows(ArchiveSet set, long campaignId)
    {
        var rows = source.Rows[set.Table];
        lock (rows)
        {
            return rows.Where(r => (long)r[set.CampaignIndex]! == campaignId).OrderBy(r => (long)r[set.KeyIndex]!).ToList();
        }
    }
}
