using Archiver.Queries;

namespace Archiver.UnitTests.Queries;

/// <summary>
/// Campaigns, their entries and votes in memory, answered by two fake stores that count their
/// calls: the live one refuses a flagged campaign as MySQL does, the archive answers from the same
/// rows. The delegate's arithmetic and routing are tested against it; the real stores have their
/// own integration tests.
/// </summary>
public sealed class FakeCampaignWorld
{
    public Dictionary<long, bool> Archived { get; } = [];

    public List<ContestEntry> Entries { get; } = [];

    public List<(long Id, long CampaignId, string Choice, DateTime CreatedAt)> Votes { get; } = [];

    /// <summary>Called between the live user read and the flag read: lets a test archive a campaign mid-read.</summary>
    public Action? BetweenUserReads { get; set; }

    public FakeLive Live => _live ??= new FakeLive(this);

    public FakeArchive Archive => _archive ??= new FakeArchive(this);

    private FakeLive? _live;
    private FakeArchive? _archive;

    public void AddCampaign(long id, int entries, bool archived = false, int winnerEvery = 3)
    {
        Archived[id] = archived;
        var start = new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);
        var firstId = (Entries.Count == 0 ? 0 : Entries.Max(e => e.Id)) + 1;
        for (var i = 0; i < entries; i++)
        {
            Entries.Add(new ContestEntry(firstId + i, id, 100 + (i % 5), i, i % winnerEvery == 0, $"m{i}", start.AddSeconds(17 * i)));
        }
    }

    private IEnumerable<ContestEntry> Filtered(long campaign, EntryFilter filter) => Entries
        .Where(e => e.CampaignId == campaign && (filter == EntryFilter.All || e.Winner == (filter == EntryFilter.Winners)))
        .OrderBy(e => e.Id);

    private EntrySlice Read(long campaign, EntryFilter filter, EntrySeek seek, int? limit, bool withTotal)
    {
        var rows = Filtered(campaign, filter);
        var from = seek.AfterId is { } after ? rows.Where(e => e.Id > after) : rows.Skip((int)Math.Min(seek.Offset, int.MaxValue));
        var items = (limit is { } n ? from.Take(n) : from).ToList();
        return new EntrySlice(withTotal ? rows.LongCount() : -1, items);
    }

    private IReadOnlyList<StatisticsPoint> Statistics(long campaign, Granularity granularity, DateTime since, DateTime until) => Entries
        .Where(e => e.CampaignId == campaign && e.CreatedAt >= since && e.CreatedAt < until)
        .GroupBy(e => TimeBuckets.Floor(e.CreatedAt, granularity))
        .OrderBy(g => g.Key)
        .Select(g => new StatisticsPoint(g.Key, g.Count(), g.Count(e => e.Winner)))
        .ToList();

    private IReadOnlyList<ChoiceVotes> Totals(long campaign) => Votes
        .Where(v => v.CampaignId == campaign)
        .GroupBy(v => v.Choice, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new ChoiceVotes(g.Key, g.Count()))
        .ToList();

    private IReadOnlyList<VoteBucket> Series(long campaign, Granularity granularity, DateTime since, DateTime until) => Votes
        .Where(v => v.CampaignId == campaign && v.CreatedAt >= since && v.CreatedAt < until)
        .GroupBy(v => TimeBuckets.Floor(v.CreatedAt, granularity))
        .OrderBy(g => g.Key)
        .Select(g => new VoteBucket(g.Key, g.Count(), g.GroupBy(v => v.Choice, StringComparer.Ordinal).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ChoiceVotes(c.Key, c.Count())).ToList()))
        .ToList();

    public abstract class FakeStore(FakeCampaignWorld world) : ICampaignStore
    {
        protected FakeCampaignWorld World { get; } = world;

        public int Calls { get; private set; }

        public List<EntrySeek> Seeks { get; } = [];

        public Task<EntrySlice> ReadEntriesAsync(long campaignId, EntryFilter filter, EntrySeek seek, int? limit, bool withTotal, CancellationToken cancellationToken)
        {
            Enter(campaignId);
            Seeks.Add(seek);
            return Task.FromResult(World.Read(campaignId, filter, seek, limit, withTotal));
        }

        public Task<IReadOnlyList<StatisticsPoint>> StatisticsAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken)
        {
            Enter(campaignId);
            Assert.Equal(TimeBuckets.Floor(since, granularity), since);
            Assert.Equal(TimeBuckets.Floor(until, granularity), until);
            return Task.FromResult(World.Statistics(campaignId, granularity, since, until));
        }

        public Task<IReadOnlyList<ChoiceVotes>> VoteTotalsAsync(long campaignId, CancellationToken cancellationToken)
        {
            Enter(campaignId);
            return Task.FromResult(World.Totals(campaignId));
        }

        public Task<IReadOnlyList<VoteBucket>> VoteSeriesAsync(long campaignId, Granularity granularity, DateTime since, DateTime until, CancellationToken cancellationToken)
        {
            Enter(campaignId);
            return Task.FromResult(World.Series(campaignId, granularity, since, until));
        }

        protected virtual void Enter(long campaignId) => Calls++;
    }

    public sealed class FakeLive(FakeCampaignWorld world) : FakeStore(world), ILiveCampaignStore
    {
        public Task<IReadOnlyDictionary<long, bool>> ArchivedFlagsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<long, bool>>(campaignIds.Where(World.Archived.ContainsKey).ToDictionary(c => c, c => World.Archived[c]));

        public Task<IReadOnlyList<ContestEntry>> LiveUserEntriesAsync(long userId, CancellationToken cancellationToken)
        {
            IReadOnlyList<ContestEntry> rows = World.Entries.Where(e => e.UserId == userId && !World.Archived[e.CampaignId]).OrderBy(UserEntryKey.Of).ToList();
            World.BetweenUserReads?.Invoke();
            return Task.FromResult(rows);
        }

        protected override void Enter(long campaignId)
        {
            base.Enter(campaignId);
            if (!World.Archived.TryGetValue(campaignId, out var archived))
            {
                throw new CampaignNotFoundException(campaignId);
            }

            if (archived)
            {
                throw new CampaignArchivedException(campaignId);
            }
        }
    }

    public sealed class FakeArchive(FakeCampaignWorld world) : FakeStore(world), IArchivedCampaignStore
    {
        public Task<IReadOnlyList<UserEntryKey>> UserEntryKeysAsync(long userId, CancellationToken cancellationToken) =>
            // The archive holds documents of every campaign it has written, flagged or not.
            Task.FromResult<IReadOnlyList<UserEntryKey>>(World.Entries.Where(e => e.UserId == userId).Select(UserEntryKey.Of).Order().ToList());

        public Task<IReadOnlyList<ContestEntry>> GetEntriesAsync(IReadOnlyList<UserEntryKey> keys, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ContestEntry>>(keys.Select(k => World.Entries.Single(e => e.Id == k.Id)).ToList());
    }
}
