using Archiver.Documents;
using Archiver.Engine;
using Archiver.Options;
using Archiver.Source;
using Archiver.UnitTests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.UnitTests;

public sealed class ArchiveEngineTests
{
    private const string Entries = "contest_campaign_entries:";
    private const string Votes = "vote_campaign_votes:";
    private readonly FakeArchiveSource _source = new();
    private readonly FakeDocumentStore _store = new();
    private readonly FakeRunJournal _journal = new();

    private ArchiveEngine Engine(int batchSize = 2500, ILogger<ArchiveEngine>? logger = null)
    {
        var options = new ArchiveOptions { BatchSize = batchSize };
        options.Sets.Add(TestSets.EntryOptions());
        options.Sets.Add(TestSets.VoteOptions());
        return new(_source, _journal, new FakePurgeTarget(_source), _store, Microsoft.Extensions.Options.Options.Create(options), logger ?? NullLogger<ArchiveEngine>.Instance);
    }

    private static string EntryId(long campaign, long key) => DocumentIds.ForRow("contest_campaign_entries", campaign, key);

    /// <summary>Runs <paramref name="change"/> once, as verification of the entries starts (after their copy).</summary>
    private void WhenEntriesAreVerified(Action change) => _source.OnFingerprint = table =>
    {
        if (table == "contest_campaign_entries")
        {
            _source.OnFingerprint = null;
            change();
        }
    };

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2500, 1)]
    [InlineData(2501, 2)]
    [InlineData(10_000, 4)]
    public async Task Rows_are_saved_in_batches_of_BatchSize_and_the_campaign_flagged(int rows, int batches)
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, rows);

        var result = await Engine().RunAsync(new ArchiveRequest());

        Assert.Equal(rows, _store.LiveIds(Entries).Count);
        Assert.True(_source.IsFlagged(1));
        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Archived, campaign.Outcome);
        Assert.Equal(rows, campaign.RowsRead);
        Assert.Equal(batches, campaign.Batches);
        Assert.All(_store.SaveRequestSizes, size => Assert.InRange(size, 1, 2500));
    }

    [Fact]
    public async Task Every_set_is_archived_for_every_eligible_campaign_whatever_its_kind()
    {
        _source.AddCampaign(1, endedDaysAgo: 3);
        _source.AddCampaign(2, endedDaysAgo: 1);
        _source.AddCampaign(3, endedDaysAgo: -5);
        _source.AddCampaign(4, kind: "vote", endedDaysAgo: 3);
        _source.AddCampaign(5, endedDaysAgo: 10, archived: true);
        foreach (var id in new long[] { 1, 2, 3, 4, 5 })
        {
            _source.AddEntries(id, 3);
        }

        _source.AddVotes(1, 4);
        _source.AddVotes(4, 7);

        var result = await Engine().RunAsync(new ArchiveRequest());

        Assert.Equal([true, false, false, true], new long[] { 1, 2, 3, 4 }.Select(_source.IsFlagged));
        Assert.Equal(2, result.Archived);
        Assert.Equal(6, _store.LiveIds(Entries).Count);
        Assert.Equal(11, _store.LiveIds(Votes).Count);
        Assert.Equal(["start 1", "archived 1", "start 4", "archived 4"], _journal.Events);
    }

    [Fact]
    public async Task Rollups_count_rows_winners_and_choices_per_minute()
    {
        _source.AddCampaign(1);
        var minute = new DateTime(2026, 11, 20, 14, 5, 0);
        _source.Entries.Add([1L, 1L, null, 1L, 1L, "a", minute.AddSeconds(59.999)]);
        _source.Entries.Add([2L, 1L, null, 2L, 0L, "b", minute.AddMinutes(1)]);
        _source.Entries.Add([3L, 1L, null, 3L, 1L, "c", minute]);
        _source.Votes.Add([1L, 1L, 7L, "Yes", minute.AddSeconds(1)]);
        _source.Votes.Add([2L, 1L, 8L, "No", minute.AddSeconds(2)]);
        _source.Votes.Add([3L, 1L, 9L, "Yes", minute.AddSeconds(3)]);

        var result = await Engine().RunAsync(new ArchiveRequest());

        Assert.Equal(CampaignOutcome.Archived, Assert.Single(result.Campaigns).Outcome);
        Assert.Equal(3, result.Rollups.Created);
        Assert.Equal(
            """{"type":"rollup","set":"contest_campaign_entries","campaign_id":1,"minute":"2026-11-20T14:05Z","count":2,"winners":2}""",
            Body("rollup:contest_campaign_entries:0000000000000000001:2026-11-20T14:05Z"));
        Assert.Equal(
            """{"type":"rollup","set":"contest_campaign_entries","campaign_id":1,"minute":"2026-11-20T14:06Z","count":1,"winners":0}""",
            Body("rollup:contest_campaign_entries:0000000000000000001:2026-11-20T14:06Z"));
        Assert.Equal(
            """{"type":"rollup","set":"vote_campaign_votes","campaign_id":1,"minute":"2026-11-20T14:05Z","count":3,"choices":{"No":1,"Yes":2}}""",
            Body("rollup:vote_campaign_votes:0000000000000000001:2026-11-20T14:05Z"));
    }

    [Fact]
    public async Task A_lost_write_fails_verification_and_the_flag_stays_unset()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 20);
        _store.SilentlyDropped.Add(EntryId(1, 13));

        var result = await Engine(batchSize: 7).RunAsync(new ArchiveRequest());

        Assert.False(_source.IsFlagged(1));
        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Failed, campaign.Outcome);
        Assert.Contains("campaign 1, set contest_campaign_entries, database contest_campaign_entries_archive: 1 of 20 rows have no document (contest_campaign_entries:0000000000000000001:0000000000000000013)", campaign.Reason, StringComparison.Ordinal);
        Assert.StartsWith("failed 1: verification of contest_campaign_entries failed", _journal.Events[^1], StringComparison.Ordinal);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task A_rollup_a_range_read_does_not_list_yet_is_found_by_id_and_the_campaign_flagged()
    {
        // A cluster's range read is answered by one copy per shard range, which may lag behind the
        // write quorum: verification looks such a rollup up by id (a quorum read) before calling it missing.
        _source.AddCampaign(1);
        _source.AddEntries(1, 20);
        _store.Lagging = id => id.StartsWith("rollup:contest_campaign_entries:", StringComparison.Ordinal);
        _store.LaggingRangeReads = 3; // the writer's stale-rollup check, the revision check, the content check

        var result = await Engine(batchSize: 7).RunAsync(new ArchiveRequest());

        Assert.True(result.Succeeded, string.Join("; ", result.Campaigns.Select(c => c.Reason)));
        Assert.True(_source.IsFlagged(1));
        Assert.Equal(0, _store.LaggingRangeReads);
    }

    [Fact]
    public async Task An_entry_a_range_read_does_not_list_yet_is_found_by_id_and_the_campaign_flagged()
    {
        // As the rollup above, for a row's document: the revision check pairs it by id, and the flag's
        // last check, reading the range again from a copy still behind, looks it up by id too.
        _source.AddCampaign(1);
        _source.AddEntries(1, 20);
        _store.Lagging = id => id == EntryId(1, 13);
        _store.LaggingRangeReads = 2; // the revision check, the flag's last check
        using var logs = new RecordingLoggerProvider();
        using var factory = new LoggerFactory([logs]);

        var result = await Engine(batchSize: 7, factory.CreateLogger<ArchiveEngine>()).RunAsync(new ArchiveRequest());

        Assert.True(result.Succeeded, string.Join("; ", result.Campaigns.Select(c => c.Reason)));
        Assert.True(_source.IsFlagged(1));
        Assert.Equal(0, _store.LaggingRangeReads);
        Assert.Equal(0, _store.BodyReads);
        var logged = Assert.Single(logs.Entries, e => e.EventId.Id == ArchiveEvents.DocumentsReadById).Message;
        Assert.Equal($"Campaign 1, set contest_campaign_entries: 1 documents the ranges of _all_docs did not list were found by id (a cluster's copy behind the write quorum), e.g. {EntryId(1, 13)}", logged);
    }

    [Fact]
    public async Task Entries_a_range_read_does_not_list_yet_are_found_by_id_when_verification_reads_contents()
    {
        // A document rewritten with the same content (a new revision) sends verification to the
        // contents; the lagging ones (over several pages of the join) are read by id there too.
        _source.AddCampaign(1);
        _source.AddEntries(1, 20);
        WhenEntriesAreVerified(() => _store.Put(EntryId(1, 2), _store.BodyOf(EntryId(1, 2))!.Value.GetRawText()));
        _store.Lagging = id => id == EntryId(1, 3) || id == EntryId(1, 4) || id == EntryId(1, 17);
        _store.LaggingRangeReads = 3; // the revision check, the contents check, the flag's last check

        var result = await Engine(batchSize: 7).RunAsync(new ArchiveRequest());

        Assert.True(result.Succeeded, string.Join("; ", result.Campaigns.Select(c => c.Reason)));
        Assert.True(_source.IsFlagged(1));
        Assert.Equal(0, _store.LaggingRangeReads);
        Assert.True(_store.BodyReads > 0);
        Assert.Equal(20, _store.LiveIds(Entries).Count);
    }

    [Fact]
    public async Task An_entry_found_by_id_with_another_content_fails_verification_naming_it()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 20);
        WhenEntriesAreVerified(() => _store.Tamper(EntryId(1, 13), "message", "tampered"));
        _store.Lagging = id => id == EntryId(1, 13);
        _store.LaggingRangeReads = 2; // the revision check, the contents check

        var result = await Engine(batchSize: 7).RunAsync(new ArchiveRequest());

        Assert.False(_source.IsFlagged(1));
        var reason = Assert.Single(result.Campaigns).Reason;
        Assert.Contains("1 documents differ from their rows (contest_campaign_entries:0000000000000000001:0000000000000000013: ", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("no document", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_found_by_id_at_verification_and_gone_at_the_flag_prevents_the_flag()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 20);
        _store.Lagging = id => id == EntryId(1, 13);
        _store.LaggingRangeReads = 2;
        _source.BeforeFlag = () => _store.Delete(EntryId(1, 13));

        var result = await Engine(batchSize: 7).RunAsync(new ArchiveRequest());

        Assert.False(_source.IsFlagged(1));
        Assert.Contains("the archive changed after it was verified", Assert.Single(result.Campaigns).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_inserted_after_verification_prevents_the_flag()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 5);
        _source.BeforeFlag = () => _source.AddEntries(1, 1);

        var result = await Engine().RunAsync(new ArchiveRequest());

        Assert.False(_source.IsFlagged(1));
        Assert.Contains("changed after they were verified", Assert.Single(result.Campaigns).Reason, StringComparison.Ordinal);

        // The next run copies the new row and flags.
        _source.BeforeFlag = null;
        var again = await Engine().RunAsync(new ArchiveRequest());
        Assert.Equal(CampaignOutcome.Archived, Assert.Single(again.Campaigns).Outcome);
        Assert.Equal(6, _store.LiveIds(Entries).Count);
    }

    [Fact]
    public async Task A_row_changed_after_it_was_copied_fails_verification_naming_the_field_and_the_next_run_updates_it()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 5);
        _source.OnFingerprint = table =>
        {
            if (table == "contest_campaign_entries" && _store.LiveIds(Entries).Count == 5)
            {
                _source.OnFingerprint = null;
                _source.Entries[2][5] = "changed";
            }
        };

        var result = await Engine().RunAsync(new ArchiveRequest());

        var reason = Assert.Single(result.Campaigns).Reason;
        Assert.Contains("1 documents differ from their rows (contest_campaign_entries:0000000000000000001:0000000000000000003: message (\"entry 2 ✓\" in the archive, \"changed\" in MySQL))", reason, StringComparison.Ordinal);
        Assert.False(_source.IsFlagged(1));

        var again = await Engine().RunAsync(new ArchiveRequest());
        Assert.Equal(CampaignOutcome.Archived, Assert.Single(again.Campaigns).Outcome);
        Assert.Equal(1, again.Documents.Updated);
        Assert.Equal("changed", _store.BodyOf(EntryId(1, 3))!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_refused_document_fails_its_campaign_only_naming_set_key_error_and_reason()
    {
        _source.AddCampaign(1, endedDaysAgo: 4);
        _source.AddEntries(1, 3);
        _source.AddCampaign(2, endedDaysAgo: 3);
        _source.AddEntries(2, 3);
        _store.Refuse = w => w.Document.Id == EntryId(1, 2) ? new DocumentWriteResult(w.Document.Id, null, "forbidden", "entries are read-only") : null;

        var result = await Engine().RunAsync(new ArchiveRequest());

        Assert.False(_source.IsFlagged(1));
        Assert.True(_source.IsFlagged(2));
        Assert.Equal(
            "CouchDB database contest_campaign_entries_archive refused document contest_campaign_entries:0000000000000000001:0000000000000000002 (contest_campaign_entries id=2): forbidden: entries are read-only",
            result.Campaigns.Single(c => c.CampaignId == 1).Reason);
    }

    [Fact]
    public async Task Dry_run_counts_every_set_and_writes_nothing()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 5001);
        _source.AddVotes(1, 10);

        var result = await Engine().RunAsync(new ArchiveRequest(DryRun: true));

        Assert.Empty(_store.SaveRequestSizes);
        Assert.Empty(_store.Databases);
        Assert.Empty(_journal.Events);
        Assert.False(_source.IsFlagged(1));
        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.WouldArchive, campaign.Outcome);
        Assert.Equal(5011, campaign.RowsRead);
        Assert.Equal(4, campaign.Batches);
        Assert.Contains("5,001 contest_campaign_entries rows in 3 batches to contest_campaign_entries_archive, 10 vote_campaign_votes rows in 1 batches", campaign.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_campaign_must_exist_be_unarchived_and_completed()
    {
        _source.AddCampaign(1, endedDaysAgo: 1);
        _source.AddCampaign(2, archived: true);

        var missing = await Engine().RunAsync(new ArchiveRequest(CampaignId: 99));
        var early = await Engine().RunAsync(new ArchiveRequest(CampaignId: 1));
        var done = await Engine().RunAsync(new ArchiveRequest(CampaignId: 2));

        Assert.Equal("no such campaign", Assert.Single(missing.Campaigns).Reason);
        Assert.False(missing.Succeeded);
        Assert.StartsWith("not eligible", Assert.Single(early.Campaigns).Reason, StringComparison.Ordinal);
        Assert.False(early.Succeeded);
        Assert.Equal(CampaignOutcome.Skipped, Assert.Single(done.Campaigns).Outcome);
        Assert.True(done.Succeeded);
    }

    [Fact]
    public async Task A_campaign_another_archiver_holds_is_skipped_and_says_so()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 3);
        _source.HoldLock(1);

        var result = await Engine().RunAsync(new ArchiveRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Skipped, campaign.Outcome);
        Assert.Equal("another archiver is working on it (it holds the campaign's MySQL lock)", campaign.Reason);
        Assert.Empty(_store.SaveRequestSizes);
        Assert.False(_source.IsFlagged(1));
    }

    [Fact]
    public async Task A_lost_lock_stops_the_copy_at_the_next_batch_and_nothing_is_flagged()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 100);
        _store.BeforeSave = _ =>
        {
            if (_store.SaveRequestSizes.Count == 2)
            {
                _source.LoseLock(1);
            }
        };

        var result = await Engine(batchSize: 10).RunAsync(new ArchiveRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Failed, campaign.Outcome);
        Assert.Equal("lost the campaign's MySQL lock fake:1 (its connection dropped) before the flag; not flagged, run again", campaign.Reason);
        Assert.Equal(3, _store.SaveRequestSizes.Count); // the batch in flight when the lock was lost is the last one sent
        Assert.InRange(campaign.Batches, 2, 3);
        Assert.False(_source.IsFlagged(1));
    }

    [Fact]
    public async Task Cancellation_stops_before_the_flag_and_leaves_the_campaign_interrupted_not_failed()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 100);
        using var cancellation = new CancellationTokenSource();
        _store.BeforeSave = _ => cancellation.Cancel();

        var result = await Engine(batchSize: 10).RunAsync(new ArchiveRequest(), cancellationToken: cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.StartsWith("interrupted", result.StopReason, StringComparison.Ordinal);
        Assert.False(_source.IsFlagged(1));
        Assert.Equal(CampaignOutcome.Interrupted, Assert.Single(result.Campaigns).Outcome);
        Assert.Equal(0, result.Failed);
        Assert.Equal(["start 1", "interrupted 1"], _journal.Events);
    }

    [Fact]
    public async Task Progress_hears_every_campaign()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 25);
        _source.AddCampaign(2, archived: true);
        var progress = new RecordingProgress();

        await Engine(batchSize: 10).RunAsync(new ArchiveRequest(CampaignId: 2), progress);
        await Engine(batchSize: 10).RunAsync(new ArchiveRequest(), progress);

        Assert.Equal(
            [
                "end 2 Skipped", "start 1", "rows 10", "rows 20", "rows 25", "verify 1", "verified 10", "verified 20",
                "views contest_campaign_entries_archive", "views contest_campaign_entries_archive_rollups", "views vote_campaign_votes_archive", "views vote_campaign_votes_archive_rollups", "end 1 Archived",
            ],
            progress.Events);
    }

    [Fact]
    public async Task Documents_and_rollups_of_rows_that_left_the_campaign_are_removed_before_the_flag()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 10);
        await Engine().RunAsync(new ArchiveRequest(CampaignId: 1));

        // As after an interrupted run: the flag is lost and two rows are deleted from MySQL (one
        // row 10 the only row of its minute); a document under an id of the campaign's range was written by
        // someone else.
        _source.Unflag(1);
        _source.Entries.RemoveAll(e => (long)e[0]! is 3 or 10);
        _store.Put(EntryId(1, 99), """{"type":"contest_campaign_entry","campaign_id":1,"id":99}""");
        var rollupsBefore = _store.LiveIds("rollup:").Count;

        var result = await Engine(batchSize: 4).RunAsync(new ArchiveRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Archived, campaign.Outcome);
        Assert.Equal(3, campaign.Documents.Removed);
        Assert.Equal(8, _store.LiveIds(Entries).Count);
        Assert.False(_store.IsLive(EntryId(1, 3)));
        Assert.Equal(1, campaign.Rollups.Removed);
        Assert.Equal(rollupsBefore - 1, _store.LiveIds("rollup:").Count);
        Assert.True(_source.IsFlagged(1));
    }

    [Fact]
    public async Task Documents_of_other_campaigns_are_never_removed()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 3);
        _source.AddCampaign(2, endedDaysAgo: -1);
        _store.Put(EntryId(2, 5), """{"type":"contest_campaign_entry","campaign_id":2,"id":5}""");

        await Engine().RunAsync(new ArchiveRequest());

        Assert.True(_store.IsLive(EntryId(2, 5)));
        Assert.Equal(4, _store.LiveIds(Entries).Count);
    }

    [Fact]
    public async Task A_tampered_rollup_is_rewritten_and_a_rerun_after_success_writes_nothing()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 50);
        _source.AddVotes(1, 20);
        await Engine().RunAsync(new ArchiveRequest());
        var rollup = _store.LiveIds("rollup:contest_campaign_entries:")[0];
        _store.Tamper(rollup, "minute", "2000-01-01T00:00Z");
        _source.Unflag(1);

        var repaired = await Engine().RunAsync(new ArchiveRequest());
        Assert.Equal((1L, 0L), (repaired.Rollups.Updated, repaired.Documents.Written));
        Assert.True(_source.IsFlagged(1));

        _source.Unflag(1);
        var writes = _store.Writes;
        var again = await Engine().RunAsync(new ArchiveRequest());
        Assert.Equal(CampaignOutcome.Archived, Assert.Single(again.Campaigns).Outcome);
        Assert.Equal(writes, _store.Writes);
        Assert.Equal(70, again.Documents.Unchanged);
    }

    [Fact]
    public async Task An_unexpected_error_fails_its_campaign_with_its_type_and_the_run_goes_on()
    {
        _source.AddCampaign(1, endedDaysAgo: 4);
        _source.AddEntries(1, 30);
        _source.AddCampaign(2, endedDaysAgo: 3);
        _source.AddEntries(2, 3);
        var saves = 0;
        _store.BeforeSave = _ =>
        {
            if (++saves == 3)
            {
                throw new InvalidOperationException("the disk is on fire");
            }
        };

        var result = await Engine(batchSize: 10).RunAsync(new ArchiveRequest());

        var failed = result.Campaigns.Single(c => c.CampaignId == 1);
        Assert.Equal(CampaignOutcome.Failed, failed.Outcome);
        Assert.Equal("InvalidOperationException: the disk is on fire", failed.Reason);
        Assert.Equal((30L, 2, 20L), (failed.RowsRead, failed.Batches, failed.Documents.Created));
        Assert.False(_source.IsFlagged(1));
        Assert.True(_source.IsFlagged(2));
    }

    private string Body(string id)
    {
        var body = _store.BodyOf(id) ?? throw new InvalidOperationException($"no document {id}");
        var fields = body.EnumerateObject().Where(p => p.Name is not ("_id" or "_rev")).Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}");
        return "{" + string.Join(",", fields) + "}";
    }

    private sealed class RecordingProgress : IArchiveProgress
    {
        public List<string> Events { get; } = [];

        public void CampaignStarted(CampaignInfo campaign, long expectedRows) => Events.Add($"start {campaign.Id}");

        public void RowsArchived(CampaignInfo campaign, long rowsRead, long expectedRows, BatchTotals documents) => Events.Add($"rows {rowsRead}");

        public void Verifying(CampaignInfo campaign) => Events.Add($"verify {campaign.Id}");

        public void RowsVerified(CampaignInfo campaign, long rowsVerified, long expectedRows) => Events.Add($"verified {rowsVerified}");

        public void RefreshingViews(string database) => Events.Add($"views {database}");

        public void CampaignFinished(CampaignResult result) => Events.Add($"end {result.CampaignId} {result.Outcome}");
    }
}
