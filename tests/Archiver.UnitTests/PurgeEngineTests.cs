using Archiver.Documents;
using Archiver.Engine;
using Archiver.Options;
using Archiver.Purge;
using Archiver.UnitTests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.UnitTests;

public sealed class PurgeEngineTests
{
    private const string Entries = "contest_campaign_entries";
    private readonly FakeArchiveSource _source = new();
    private readonly FakeDocumentStore _store = new();
    private readonly FakePurgeTarget _target;
    private readonly ManualTimeProvider _time = new();

    public PurgeEngineTests() => _target = new FakePurgeTarget(_source);

    private static ArchiveOptions Options()
    {
        var options = new ArchiveOptions { BatchSize = 700 };
        options.Sets.Add(TestSets.EntryOptions());
        options.Sets.Add(TestSets.VoteOptions());
        return options;
    }

    private PurgeEngine Purge() => new(
        _source, _target, _store, Microsoft.Extensions.Options.Options.Create(Options()), Microsoft.Extensions.Options.Options.Create(new PurgeOptions()),
        NullLogger<PurgeEngine>.Instance, timeProvider: _time);

    private ArchiveEngine Archiver() =>
        new(_source, new FakeRunJournal(), _target, _store, Microsoft.Extensions.Options.Options.Create(Options()), NullLogger<ArchiveEngine>.Instance);

    /// <summary>Archives every completed campaign with the archive engine, as production does before any purge.</summary>
    private async Task ArchiveAsync()
    {
        var result = await Archiver().RunAsync(new ArchiveRequest());
        Assert.True(result.Succeeded && result.Archived > 0);
    }

    /// <summary>Archives campaign 1, purges its first batch (then "crashes") and unflags it, for archiving it again.</summary>
    private async Task PartlyPurgeAndUnflagAsync()
    {
        await ArchiveAsync();
        _target.AfterDelete = n => throw new InvalidOperationException("crash");
        await Purge().RunAsync(new PurgeRequest());
        _target.AfterDelete = null;
        _source.Unflag(1);
    }

    private int EntriesOf(long campaign) => _source.Entries.Count(e => (long)e[1]! == campaign);

    private static string EntryId(long campaign, long key) => DocumentIds.ForRow(Entries, campaign, key);

    [Fact]
    public async Task A_first_purge_deletes_every_row_in_batches_and_journals_the_verified_archive()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 2_500);
        _source.AddVotes(1, 10);
        _source.AddCampaign(2, endedDaysAgo: 1); // not completed: never archived, never purged
        _source.AddEntries(2, 5);
        await ArchiveAsync();

        var result = await Purge().RunAsync(new PurgeRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal((PurgeOutcome.Purged, 2_510L, 2_510L, 4), (campaign.Outcome, campaign.RowsVerified, campaign.RowsDeleted, campaign.Batches));
        Assert.Equal(0, EntriesOf(1));
        Assert.Empty(_source.Votes);
        Assert.Equal(5, EntriesOf(2));
        Assert.True(_target.JournalCreated);
        var journal = _target.Journal[(1, Entries)];
        Assert.Equal((2_500L, 2_500L), (journal.Documents, journal.RowsDeleted));
        Assert.NotNull(journal.FinishedAt);
        Assert.Contains($"{Entries}={journal.Checksum}", campaign.Checksums);
        Assert.Equal(2_510, _store.LiveIds(Entries).Count + _store.LiveIds("vote_campaign_votes:").Count); // the archive is only read
        Assert.True(result.Complete);
    }

    [Fact]
    public async Task A_first_purge_is_blocked_when_the_archive_holds_a_document_without_a_row()
    {
        _source.AddCampaign(1);
        _source.AddCampaign(2);
        _source.AddEntries(1, 20);
        _source.AddEntries(2, 20);
        await ArchiveAsync();
        var stray = EntryId(1, 999_999);
        _store.Put(stray, """{"type":"contest_campaign_entry","id":999999}""");

        var result = await Purge().RunAsync(new PurgeRequest());

        var blocked = result.Campaigns.Single(c => c.CampaignId == 1);
        Assert.Equal(PurgeOutcome.Blocked, blocked.Outcome);
        Assert.Contains("the archive holds 21 documents (checksum ", blocked.Reason, StringComparison.Ordinal);
        Assert.Contains($"but MySQL has 20 rows (checksum ", blocked.Reason, StringComparison.Ordinal);
        Assert.Contains($"documents without a row: {stray}", blocked.Reason, StringComparison.Ordinal);
        Assert.Equal(20, EntriesOf(1));
        Assert.Equal(PurgeOutcome.Purged, result.Campaigns.Single(c => c.CampaignId == 2).Outcome);
        Assert.Equal(0, EntriesOf(2));
    }

    [Fact]
    public async Task A_resumed_purge_accepts_the_documents_of_purged_rows_while_the_archive_is_unchanged()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 2_500);
        await ArchiveAsync();
        _target.AfterDelete = n => throw new InvalidOperationException(n == 2 ? "crash" : null); // "crashes" after the second commit
        var first = await Purge().RunAsync(new PurgeRequest());
        Assert.Equal((PurgeOutcome.Failed, 1_000L), (first.Campaigns[0].Outcome, _target.Journal[(1, Entries)].RowsDeleted));
        _target.AfterDelete = null;

        var resumed = await Purge().RunAsync(new PurgeRequest());

        var campaign = Assert.Single(resumed.Campaigns);
        Assert.Equal((PurgeOutcome.Purged, 1_500L, 1_500L), (campaign.Outcome, campaign.RowsVerified, campaign.RowsDeleted));
        Assert.Equal(0, EntriesOf(1));
        Assert.Equal(2_500L, _target.Journal[(1, Entries)].RowsDeleted);
        Assert.Equal(_target.Journal[(1, Entries)].Checksum, campaign.Checksums.Single()[(Entries.Length + 1)..]);
    }

    [Fact]
    public async Task A_document_every_range_read_leaves_out_is_read_by_id_and_the_purge_deletes_its_row()
    {
        // A cluster's copy behind the others answers every range read: the purge's re-verification
        // looks the row's document up by id (a quorum read) before it calls the row unarchived.
        _source.AddCampaign(1);
        _source.AddEntries(1, 2_500);
        await ArchiveAsync();
        _store.Lagging = id => id == EntryId(1, 1_500);
        _store.LaggingRangeReads = int.MaxValue;

        var result = await Purge().RunAsync(new PurgeRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.True(campaign.Outcome == PurgeOutcome.Purged, campaign.Reason);
        Assert.Equal(0, EntriesOf(1));
    }

    [Fact]
    public async Task Archiving_a_partly_purged_campaign_again_reads_by_id_a_document_the_ranges_leave_out_and_flags_it()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 2_500);
        await PartlyPurgeAndUnflagAsync();
        _store.Lagging = id => id == EntryId(1, 2_000);
        _store.LaggingRangeReads = int.MaxValue;

        var result = await Archiver().RunAsync(new ArchiveRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.True(campaign.Outcome == CampaignOutcome.Archived, campaign.Reason);
        Assert.True(_source.IsFlagged(1));
    }

    [Fact]
    public async Task Archiving_a_partly_purged_campaign_again_writes_and_removes_nothing_and_rebuilds_its_rollups_from_the_documents()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 2_500);
        await PartlyPurgeAndUnflagAsync();
        var rollups = _store.LiveIds("rollup:").ToDictionary(id => id, id => _store.BodyOf(id)!.Value.GetRawText()); // a purge never writes the archive
        var writes = _store.Writes;

        var result = await Archiver().RunAsync(new ArchiveRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.True(campaign.Outcome == CampaignOutcome.Archived, campaign.Reason);
        Assert.Equal(writes, _store.Writes);
        Assert.Equal(2_500, _store.LiveIds(Entries).Count);
        Assert.Equal(rollups, _store.LiveIds("rollup:").ToDictionary(id => id, id => _store.BodyOf(id)!.Value.GetRawText())); // counted from 2,500 documents, not 1,800 rows
        Assert.Equal(2_500, _target.Archived[(1, Entries)].Rows); // the first flag's record is kept
        Assert.True(_source.IsFlagged(1));
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("tampered")]
    [InlineData("added")]
    public async Task A_resumed_purge_is_blocked_when_the_archive_changed_since_it_started(string change)
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 2_500);
        await ArchiveAsync();
        var purgedKey = (long)_source.Entries[3][0]!;
        _target.AfterDelete = n => throw new InvalidOperationException("crash");
        await Purge().RunAsync(new PurgeRequest());
        _target.AfterDelete = null;
        switch (change)
        {
            case "deleted":
                _store.Delete(EntryId(1, purgedKey)); // the only copy of a purged row
                break;
            case "tampered":
                _store.Tamper(EntryId(1, purgedKey), "message", "changed");
                break;
            default:
                _store.Put(EntryId(1, 999_999), """{"type":"contest_campaign_entry","id":999999}""");
                break;
        }

        var resumed = await Purge().RunAsync(new PurgeRequest());

        var campaign = Assert.Single(resumed.Campaigns);
        Assert.Equal(PurgeOutcome.Blocked, campaign.Outcome);
        Assert.Contains("the archive changed since this purge started: it holds ", campaign.Reason, StringComparison.Ordinal);
        Assert.Contains("the purge journal recorded 2,500 (checksum ", campaign.Reason, StringComparison.Ordinal);
        Assert.Equal(1_500, EntriesOf(1)); // the first batch went before the crash; nothing since
    }

    [Fact]
    public async Task Max_runtime_stops_between_batches_and_a_rerun_finishes_exactly()
    {
        _source.AddCampaign(1);
        _source.AddCampaign(2);
        _source.AddEntries(1, 5_000);
        _source.AddEntries(2, 10);
        await ArchiveAsync();
        _target.AfterDelete = _ => _time.Advance(TimeSpan.FromMinutes(1));

        var stopped = await Purge().RunAsync(new PurgeRequest(MaxRuntime: TimeSpan.FromMinutes(2.5)));

        // Batches start at 0, 1 and 2 minutes; the fourth would start at 3.
        var campaign = Assert.Single(stopped.Campaigns);
        Assert.Equal((PurgeOutcome.Stopped, 3_000L, 3), (campaign.Outcome, campaign.RowsDeleted, campaign.Batches));
        Assert.StartsWith("stopped at the maximum run time (00:02:30) after 3,000 of 5,000 rows were deleted", campaign.Reason, StringComparison.Ordinal);
        Assert.Equal(RunStopReason.TimeLimit, stopped.Stop);
        Assert.False(stopped.Complete);
        Assert.Equal((2_000, 10), (EntriesOf(1), EntriesOf(2)));

        var rerun = await Purge().RunAsync(new PurgeRequest(MaxRuntime: TimeSpan.FromMinutes(10)));

        Assert.Equal([PurgeOutcome.Purged, PurgeOutcome.Purged], rerun.Campaigns.Select(c => c.Outcome));
        Assert.Equal((0, 0), (EntriesOf(1), EntriesOf(2)));
        Assert.Equal(5_000L, _target.Journal[(1, Entries)].RowsDeleted);
        Assert.True(rerun.Complete);
    }

    [Fact]
    public async Task Rows_changed_after_verification_stop_their_campaign_at_that_batch_and_the_others_go_on()
    {
        _source.AddCampaign(1);
        _source.AddCampaign(2);
        _source.AddEntries(1, 2_500);
        _source.AddEntries(2, 10);
        await ArchiveAsync();
        var changed = _source.Entries.Where(e => (long)e[1]! == 1).ElementAt(1_500);
        _target.BeforeDelete = n =>
        {
            if (n == 2)
            {
                changed[5] = "edited after verification";
            }
        };

        var result = await Purge().RunAsync(new PurgeRequest());

        var campaign = result.Campaigns.Single(c => c.CampaignId == 1);
        Assert.Equal((PurgeOutcome.Blocked, 1_000L), (campaign.Outcome, campaign.RowsDeleted));
        Assert.Contains("changed after they were verified", campaign.Reason, StringComparison.Ordinal);
        Assert.Equal(1_500, EntriesOf(1));
        Assert.Equal(PurgeOutcome.Purged, result.Campaigns.Single(c => c.CampaignId == 2).Outcome);
    }

    [Fact]
    public async Task A_dry_run_counts_rows_and_batches_and_writes_nothing()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 2_001);
        _source.AddVotes(1, 3);
        await ArchiveAsync();

        var result = await Purge().RunAsync(new PurgeRequest(DryRun: true, BatchSize: 500));

        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal((PurgeOutcome.WouldPurge, 2_004L, 6, 0L), (campaign.Outcome, campaign.Rows, campaign.Batches, campaign.RowsDeleted));
        Assert.Equal("would verify against the archive, then delete 2,001 contest_campaign_entries rows in 5 batches, 3 vote_campaign_votes rows in 1 batches (batches of up to 500)", campaign.Reason);
        Assert.False(_target.JournalCreated);
        Assert.Empty(_target.Journal);
        Assert.Equal(0, _target.Deletes);
        Assert.Equal(2_001, EntriesOf(1));
    }

    [Fact]
    public async Task Campaigns_that_are_not_archived_or_held_by_another_process_are_not_touched()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 5);
        await ArchiveAsync();
        _source.AddCampaign(2);
        _source.AddEntries(2, 5);
        _source.HoldLock(1);

        var held = await Purge().RunAsync(new PurgeRequest());
        var refused = await Purge().RunAsync(new PurgeRequest(CampaignId: 2));
        var missing = await Purge().RunAsync(new PurgeRequest(CampaignId: 3));

        Assert.Equal(PurgeOutcome.Skipped, Assert.Single(held.Campaigns).Outcome);
        Assert.Contains("holds the campaign's MySQL lock", held.Campaigns[0].Reason, StringComparison.Ordinal);
        Assert.Equal(PurgeOutcome.Failed, Assert.Single(refused.Campaigns).Outcome);
        Assert.StartsWith("not archived: refusing to purge", refused.Campaigns[0].Reason, StringComparison.Ordinal);
        Assert.Equal("no such campaign", Assert.Single(missing.Campaigns).Reason);
        Assert.Equal((5, 5), (EntriesOf(1), EntriesOf(2)));
        Assert.Equal(0, _target.Deletes);
    }

    [Theory]
    [InlineData(0, null, null, "the batch size must be between 1 and 50,000 (got 0)")]
    [InlineData(null, -1.0, null, "the pause between batches must be between 0 and 10 minutes")]
    [InlineData(null, null, 0.0, "the maximum run time must be positive (got 00:00:00)")]
    public async Task A_bad_request_is_refused_before_anything_is_read(int? batchSize, double? sleepSeconds, double? maxRuntimeSeconds, string expected)
    {
        _source.AddCampaign(1, archived: true);
        var request = new PurgeRequest(
            BatchSize: batchSize,
            Sleep: sleepSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
            MaxRuntime: maxRuntimeSeconds is { } m ? TimeSpan.FromSeconds(m) : null);

        var error = await Assert.ThrowsAsync<ArchiverConfigurationException>(() => Purge().RunAsync(request));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(_target.JournalCreated);
    }
}
