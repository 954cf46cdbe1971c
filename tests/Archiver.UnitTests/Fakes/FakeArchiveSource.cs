using System.Runtime.CompilerServices;
using Archiver.Entries;
using Archiver.Source;

namespace Archiver.UnitTests.Fakes;

/// <summary>An in-memory MySQL side: campaigns, entries and the flag transaction's checks.</summary>
public sealed class FakeArchiveSource : IArchiveSource
{
    public static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Unspecified);

    public List<CampaignInfo> Campaigns { get; } = [];

    public List<ContestEntryRow> Entries { get; } = [];

    /// <summary>Runs just before the flag transaction (to change rows after verification).</summary>
    public Action? BeforeFlag { get; set; }

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
        var next = Entries.Count == 0 ? 1 : Entries.Max(e => e.Id) + 1;
        for (var i = 0; i < count; i++)
        {
            Entries.Add(new ContestEntryRow
            {
                Id = next + i,
                CampaignId = campaignId,
                UserId = i % 10 == 0 ? null : 1000 + i,
                EntryNumber = i + 1,
                Winner = i % 100 == 0,
                Message = i % 7 == 0 ? null : $"entry {i} ✓",
                CreatedAt = Now.AddDays(-5).AddMilliseconds(i * 37),
            });
        }
    }

    public bool IsFlagged(long campaignId) => Campaigns.Single(c => c.Id == campaignId).Archived;

    public Task<IReadOnlyList<CampaignInfo>> FindCompletedCampaignsAsync(TimeSpan completedAfter, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CampaignInfo>>(Campaigns.Where(c => !c.Archived && c.HasEndedFor(completedAfter)).OrderBy(c => c.EndsAt).ToList());

    public Task<CampaignInfo?> GetCampaignAsync(long campaignId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Campaigns.SingleOrDefault(c => c.Id == campaignId));

    public Task<RowFingerprint> GetEntryFingerprintAsync(long campaignId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Fingerprint(campaignId));

    public async IAsyncEnumerable<ContestEntryRow> StreamEntriesAsync(long campaignId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in Entries.Where(e => e.CampaignId == campaignId).OrderBy(e => e.Id).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return row;
        }
    }

    /// <summary>Runs when verification starts reading keys (after the copy).</summary>
    public Action? BeforeVerify { get; set; }

    public async IAsyncEnumerable<long> StreamEntryKeysAsync(long campaignId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BeforeVerify?.Invoke();
        await foreach (var row in StreamEntriesAsync(campaignId, cancellationToken))
        {
            yield return row.Id;
        }
    }

    public Task<IReadOnlySet<long>> FindEntryKeysAsync(long campaignId, IReadOnlyCollection<long> keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlySet<long>>(Entries.Where(e => e.CampaignId == campaignId && keys.Contains(e.Id)).Select(e => e.Id).ToHashSet());

    public Task<FlagOutcome> FlagArchivedAsync(long campaignId, RowFingerprint verified, CancellationToken cancellationToken = default)
    {
        BeforeFlag?.Invoke();
        var index = Campaigns.FindIndex(c => c.Id == campaignId);
        if (index < 0)
        {
            return Task.FromResult(FlagOutcome.CampaignMissing);
        }

        if (Campaigns[index].Archived)
        {
            return Task.FromResult(FlagOutcome.AlreadyArchived);
        }

        if (Fingerprint(campaignId) != verified)
        {
            return Task.FromResult(FlagOutcome.RowsChanged);
        }

        Campaigns[index] = new CampaignInfo
        {
            Id = Campaigns[index].Id,
            Name = Campaigns[index].Name,
            Kind = Campaigns[index].Kind,
            StartsAt = Campaigns[index].StartsAt,
            EndsAt = Campaigns[index].EndsAt,
            Archived = true,
            ArchivedAt = Now,
            DatabaseNow = Now,
        };
        return Task.FromResult(FlagOutcome.Flagged);
    }

    private RowFingerprint Fingerprint(long campaignId) =>
        Entries.Where(e => e.CampaignId == campaignId).Aggregate(RowFingerprint.Empty, (f, e) => f.Add(e.Id));
}
