using System.Runtime.CompilerServices;
using Archiver.Purge;
using Archiver.Sets;
using Archiver.Source;

namespace Archiver.UnitTests.Fakes;

/// <summary>An in-memory MySQL side: campaigns, the rows of both shipped tables, locks and the flag transaction's checks.</summary>
public sealed class FakeArchiveSource : IArchiveSource
{
    public static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Unspecified);

    private readonly HashSet<long> _locked = [];

    public List<CampaignInfo> Campaigns { get; } = [];

    /// <summary>Rows per table, values in the table's column order.</summary>
    public Dictionary<string, List<object?[]>> Rows { get; } = new(StringComparer.Ordinal)
    {
        ["contest_campaign_entries"] = [],
        ["vote_campaign_votes"] = [],
    };

    /// <summary>Runs just before the flag transaction (to change rows after verification).</summary>
    public Action? BeforeFlag { get; set; }

    /// <summary>Runs when the fingerprint of a set is taken for verification (after the copy).</summary>
    public Action<string>? OnFingerprint { get; set; }

    public List<object?[]> Entries => Rows["contest_campaign_entries"];

    public List<object?[]> Votes => Rows["vote_campaign_votes"];

    public CampaignInfo AddCampaign(long id, string kind = "contest", double endedDaysAgo = 3, bool archived = false)
    {
        var campaign = new CampaignInfo
        {
            Id = id,
            Name = $"Campaign {id}",
            Kind = kind,
            StartsAt = Now.AddDays(-endedDaysAgo - 7),
            EndsAt = Now.AddDays(-endedDaysAgo),
            Archived = archived,
            DatabaseNow = Now,
        };
        Campaigns.Add(campaign);
        return campaign;
    }

    public void AddEntries(long campaignId, int count)
    {
        var next = Entries.Count == 0 ? 1 : Entries.Max(e => (long)e[0]!) + 1;
        for (var i = 0; i < count; i++)
        {
            Entries.Add([next + i, campaignId, i % 10 == 0 ? null : 1000L + i, (long)(i + 1), i % 100 == 0 ? 1L : 0L, i % 7 == 0 ? null : $"entry {i} ✓", Now.AddDays(-5).AddMilliseconds(i * 37_001L)]);
        }
    }

    public void AddVotes(long campaignId, int count)
    {
        string[] choices = ["Yes", "No", "Mango 🥭"];
        var next = Votes.Count == 0 ? 1 : Votes.Max(e => (long)e[0]!) + 1;
        for (var i = 0; i < count; i++)
        {
            Votes.Add([next + i, campaignId, 500L + i, choices[i % 3], Now.AddDays(-4).AddMilliseconds(i * 13_003L)]);
        }
    }

    /// <summary>Resets a campaign's flag, as after a lost flag or an operator's UPDATE.</summary>
    public void Unflag(long campaignId)
    {
        var index = Campaigns.FindIndex(c => c.Id == campaignId);
        var old = Campaigns[index];
        Campaigns[index] = new CampaignInfo { Id = old.Id, Name = old.Name, Kind = old.Kind, StartsAt = old.StartsAt, EndsAt = old.EndsAt, DatabaseNow = old.DatabaseNow };
    }

    public bool IsFlagged(long campaignId) => Campaigns.Single(c => c.Id == campaignId).Archived;

    public Task<IReadOnlyList<CampaignInfo>> FindCompletedCampaignsAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CampaignInfo>>(Campaigns.Where(c => !c.Archived && c.HasEndedFor(completedAfter)).OrderBy(c => c.EndsAt).ToList());

    public Task<CampaignInfo?> GetCampaignAsync(long campaignId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Campaigns.SingleOrDefault(c => c.Id == campaignId));

    public Task<ArchiveSet> DescribeAsync(ArchiveSetOptions options, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ArchiveSet(options, options.Table switch
        {
            "contest_campaign_entries" => TestSets.EntryColumns,
            "vote_campaign_votes" => TestSets.VoteColumns,
            _ => throw new ArchiverConfigurationException($"archive set {options.Table}: the table does not exist"),
        }));

    public Task<long> CountRowsAsync(ArchiveSet archiveSet, long campaignId, CancellationToken cancellationToken = default) =>
        Task.FromResult((long)Of(archiveSet, campaignId).Count);

    public Task<SetFingerprint> GetFingerprintAsync(ArchiveSet archiveSet, long campaignId, CancellationToken cancellationToken = default)
    {
        OnFingerprint?.Invoke(archiveSet.Table);
        return Task.FromResult(Fingerprint(archiveSet, campaignId));
    }

    public async IAsyncEnumerable<object?[]> ReadRowsAsync(
        ArchiveSet archiveSet, long campaignId, KeyRange range, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in Of(archiveSet, campaignId).Where(r => range.Contains((long)r[archiveSet.KeyIndex]!)).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return (object?[])row.Clone();
        }
    }

    public Task<ICampaignLock?> TryLockCampaignAsync(long campaignId, CancellationToken cancellationToken = default) =>
        Task.FromResult<ICampaignLock?>(_locked.Add(campaignId) ? new FakeLock(this, campaignId) : null);

    public Task<IReadOnlyList<long>> GetShardStartsAsync(ArchiveSet archiveSet, long campaignId, long shardRows, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<long>>(Of(archiveSet, campaignId).Select((r, i) => (Key: (long)r[archiveSet.KeyIndex]!, Index: i)).Where(r => r.Index % shardRows == 0).Select(r => r.Key).ToList());

    /// <summary>Shard locks share the campaigns' lock table under negative ids (campaign ids are positive).</summary>
    public Task<ICampaignLock?> TryLockShardAsync(long campaignId, string table, int shard, CancellationToken cancellationToken = default)
    {
        var id = -(campaignId * 1_000_003 + (StringComparer.Ordinal.GetHashCode(table) & 0xFFFF) * 1_000 + shard + 1);
        return Task.FromResult<ICampaignLock?>(_locked.Add(id) ? new FakeLock(this, id) : null);
    }

    /// <summary>Drops a held lock, as MySQL does when the lock's connection dies.</summary>
    public void LoseLock(long campaignId) => _locked.Remove(campaignId);

    /// <summary>Holds a campaign's lock as another process would.</summary>
    public void HoldLock(long campaignId) => _locked.Add(campaignId);

    /// <summary>What the flag recorded of each verified set, as <c>archiver_archived_sets</c> does.</summary>
    public Dictionary<(long CampaignId, string Table), ArchivedSetRecord> ArchivedSets { get; } = [];

    public async Task<FlagOutcome> FlagArchivedAsync(
        long campaignId, TimeSpan completedAfter, IReadOnlyList<VerifiedSet> verified, Func<CancellationToken, Task<IReadOnlyDictionary<string, IReadOnlyList<string>>>> archiveUnchanged, CancellationToken cancellationToken = default)
    {
        BeforeFlag?.Invoke();
        var index = Campaigns.FindIndex(c => c.Id == campaignId);
        if (index < 0)
        {
            return FlagOutcome.CampaignMissing;
        }

        if (Campaigns[index].Archived)
        {
            return FlagOutcome.AlreadyArchived;
        }

        if (Campaigns[index].EndsAt > Now - completedAfter)
        {
            return FlagOutcome.NoLongerEligible;
        }

        foreach (var set in verified)
        {
            if (Fingerprint(set.Set, campaignId) != set.Fingerprint)
            {
                throw new ArchiveVerificationException(campaignId, set.Set.Table, $"set {set.Set.Table}: its rows changed after they were verified");
            }
        }

        await archiveUnchanged(cancellationToken);
        foreach (var set in verified.Where(s => s.PurgedRows == 0))
        {
            ArchivedSets[(campaignId, set.Set.Table)] = new ArchivedSetRecord(set.Set.Table, set.Fingerprint.Count, set.Checksum, set.RevisionDigest);
        }

        var old = Campaigns[index];
        Campaigns[index] = new CampaignInfo
        {
            Id = old.Id, Name = old.Name, Kind = old.Kind, StartsAt = old.StartsAt, EndsAt = old.EndsAt,
            Archived = true, ArchivedAt = Now, DatabaseNow = Now,
        };
        return FlagOutcome.Flagged;
    }

    /// <summary>A snapshot, under the list's lock: a purge verifies the next chunk while it deletes the last one.</summary>
    private List<object?[]> Of(ArchiveSet set, long campaignId)
    {
        var rows = Rows[set.Table];
        lock (rows)
        {
            return rows.Where(r => (long)r[set.CampaignIndex]! == campaignId).OrderBy(r => (long)r[set.KeyIndex]!).ToList();
        }
    }

    private SetFingerprint Fingerprint(ArchiveSet set, long campaignId)
    {
        var rows = Of(set, campaignId).ToList();
        return new SetFingerprint(
            rows.Count,
            rows.Sum(r => (decimal)(long)r[set.KeyIndex]!),
            rows.Sum(r => (decimal)RowCrc(r)));
    }

    /// <summary>The fake's stand-in for MySQL's per-row <c>CRC32(CONCAT_WS(...))</c>.</summary>
    public static uint RowCrc(object?[] row) => (uint)string.Join("\u001f", row.Select(v => v?.ToString() ?? "\u0000")).GetHashCode(StringComparison.Ordinal);

    private sealed class FakeLock(FakeArchiveSource source, long campaignId) : ICampaignLock
    {
        public string Name => $"fake:{campaignId}";

        public bool IsLost => !source._locked.Contains(campaignId);

        public Task<bool> IsHeldAsync(CancellationToken cancellationToken = default) => Task.FromResult(source._locked.Contains(campaignId));

        public ValueTask DisposeAsync()
        {
            source._locked.Remove(campaignId);
            return ValueTask.CompletedTask;
        }
    }
}
