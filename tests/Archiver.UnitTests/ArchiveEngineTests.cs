using Archiver.Documents;
using Archiver.Engine;
using Archiver.Entries;
using Archiver.Options;
using Archiver.UnitTests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archiver.UnitTests;

public sealed class ArchiveEngineTests
{
    private readonly FakeArchiveSource _source = new();
    private readonly FakeDocumentStore _store = new();

    private ArchiveEngine Engine(int batchSize = 2500) => new(
        _source,
        _store,
        Microsoft.Extensions.Options.Options.Create(new ArchiveOptions { BatchSize = batchSize }),
        NullLogger<ArchiveEngine>.Instance);

    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(1, new[] { 1 })]
    [InlineData(2500, new[] { 2500 })]
    [InlineData(2501, new[] { 2500, 1 })]
    [InlineData(10_000, new[] { 2500, 2500, 2500, 2500 })]
    public async Task Rows_are_saved_in_batches_of_BatchSize_and_the_campaign_flagged(int rows, int[] batches)
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, rows);

        var result = await Engine().RunAsync(new ArchiveRequest());

        Assert.Equal(batches, _store.SaveRequestSizes);
        Assert.Equal(rows, _store.Count);
        Assert.True(_source.IsFlagged(1));
        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Archived, campaign.Outcome);
        Assert.Equal(rows, campaign.RowsRead);
        Assert.Equal(batches.Length, campaign.Batches);
    }

    [Fact]
    public async Task Only_completed_unarchived_contests_are_archived()
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

        var result = await Engine().RunAsync(new ArchiveRequest());

        Assert.True(_source.IsFlagged(1));
        Assert.False(_source.IsFlagged(2));
        Assert.False(_source.IsFlagged(3));
        Assert.False(_source.IsFlagged(4));
        Assert.Equal(1, result.Archived);
        Assert.Equal(1, result.Skipped);
        Assert.Equal(3, _store.Count);
        Assert.Contains("vote", result.Campaigns.Single(c => c.CampaignId == 4).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_write_fails_verification_and_the_flag_stays_unset()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 20);
        _store.SilentlyDropped.Add(DocumentIds.ForRow(ContestEntries.Table, 13));

        var result = await Engine(batchSize: 7).RunAsync(new ArchiveRequest());

        Assert.False(_source.IsFlagged(1));
        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Failed, campaign.Outcome);
        Assert.Contains("MySQL has 20 rows but database contest_campaign_entries_archive holds documents of campaign 1 for only 19", campaign.Reason, StringComparison.Ordinal);
        Assert.Contains("contest_campaign_entries:0000000000000000013", campaign.Reason, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
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
        Assert.Equal(6, _store.Count);
    }

    [Fact]
    public async Task A_refused_document_fails_its_campaign_only()
    {
        _source.AddCampaign(1, endedDaysAgo: 4);
        _source.AddEntries(1, 3);
        _source.AddCampaign(2, endedDaysAgo: 3);
        _source.AddEntries(2, 3);
        _store.Refuse = w => w.Document.SourceKey == 2 ? new DocumentWriteResult(w.Document.Id, null, "forbidden", "no") : null;

        var result = await Engine().RunAsync(new ArchiveRequest());

        Assert.False(_source.IsFlagged(1));
        Assert.True(_source.IsFlagged(2));
        Assert.Contains("contest_campaign_entries id=2", result.Campaigns.Single(c => c.CampaignId == 1).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_counts_and_writes_nothing()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 5001);

        var result = await Engine().RunAsync(new ArchiveRequest(DryRun: true));

        Assert.Empty(_store.SaveRequestSizes);
        Assert.Empty(_store.Databases);
        Assert.False(_source.IsFlagged(1));
        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.WouldArchive, campaign.Outcome);
        Assert.Equal(5001, campaign.RowsRead);
        Assert.Equal(3, campaign.Batches);
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
    public async Task Cancellation_stops_before_the_flag()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 100);
        using var cancellation = new CancellationTokenSource();
        _store.BeforeSave = _ => cancellation.Cancel();

        var result = await Engine(batchSize: 10).RunAsync(new ArchiveRequest(), cancellationToken: cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.Equal("cancelled", result.StopReason);
        Assert.False(_source.IsFlagged(1));
        Assert.Equal(CampaignOutcome.Failed, Assert.Single(result.Campaigns).Outcome);
    }

    [Fact]
    public async Task Progress_hears_every_campaign()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 25);
        _source.AddCampaign(2, kind: "vote");
        var progress = new RecordingProgress();

        await Engine(batchSize: 10).RunAsync(new ArchiveRequest(), progress);

        Assert.Equal(["start 1", "rows 10", "rows 20", "rows 25", "verify 1", "end 1 Archived", "end 2 Skipped"], progress.Events);
    }

    [Fact]
    public async Task Documents_of_rows_that_left_the_campaign_are_removed_before_the_flag()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 10);
        await Engine().RunAsync(new ArchiveRequest(CampaignId: 1));
        // As after an interrupted run: the flag is lost and two rows are deleted from MySQL; a
        // third document of the campaign was written by someone else under an id we never make.
        _source.Campaigns[0] = new Source.CampaignInfo { Id = 1, Name = "Campaign 1", Kind = "contest", EndsAt = FakeArchiveSource.Now.AddDays(-3), DatabaseNow = FakeArchiveSource.Now };
        _source.Entries.RemoveAll(e => e.Id is 3 or 10);
        _store.Put("manual-entry", """{"type":"contest_campaign_entry","campaign_id":1,"id":99}""");

        var result = await Engine(batchSize: 4).RunAsync(new ArchiveRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Archived, campaign.Outcome);
        Assert.Equal(3, campaign.Documents.Removed);
        Assert.Equal(8, await _store.CountCampaignDocumentsAsync("x", ContestEntries.DocumentType, 1));
        Assert.False(_store.IsLive(DocumentIds.ForRow(ContestEntries.Table, 3)));
        Assert.False(_store.IsLive("manual-entry"));
        Assert.True(_source.IsFlagged(1));
    }

    [Fact]
    public async Task Documents_of_other_campaigns_are_never_removed()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 3);
        _source.AddCampaign(2, endedDaysAgo: -1);
        _source.AddEntries(2, 3);
        _store.Put(DocumentIds.ForRow(ContestEntries.Table, 5), """{"type":"contest_campaign_entry","campaign_id":2,"id":5}""");

        await Engine().RunAsync(new ArchiveRequest());

        Assert.True(_store.IsLive(DocumentIds.ForRow(ContestEntries.Table, 5)));
        Assert.Equal(3, await _store.CountCampaignDocumentsAsync("x", ContestEntries.DocumentType, 1));
    }

    [Fact]
    public async Task A_document_that_says_another_campaign_does_not_count_as_the_rows_copy()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 5);
        var moved = DocumentIds.ForRow(ContestEntries.Table, 3);

        // After the copy, another writer rewrites row 3's document for campaign 2: the counts of
        // documents and rows could still be made to match, but the set of documents is wrong.
        _source.BeforeVerify = () => _store.Put(moved, """{"type":"contest_campaign_entry","campaign_id":2,"id":3}""");

        var result = await Engine().RunAsync(new ArchiveRequest());

        var campaign = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Failed, campaign.Outcome);
        Assert.Contains($"missing (or saying another campaign) 1: {moved}", campaign.Reason, StringComparison.Ordinal);
        Assert.False(_source.IsFlagged(1));
    }

    [Fact]
    public async Task A_stray_rewritten_for_another_campaign_during_removal_is_left_alone()
    {
        _source.AddCampaign(1);
        _source.AddEntries(1, 4);
        var stray = DocumentIds.ForRow(ContestEntries.Table, 900);
        _store.Put(stray, """{"type":"contest_campaign_entry","campaign_id":1,"id":900}""");

        // Between reading the stray and deleting it, campaign 2's archiver rewrites it as its own.
        _store.BeforeSave = writes =>
        {
            if (writes.Any(w => w.Document is DeletedDocument && w.Document.Id == stray))
            {
                _store.BeforeSave = null;
                _store.Put(stray, """{"type":"contest_campaign_entry","campaign_id":2,"id":900}""");
            }
        };

        var result = await Engine().RunAsync(new ArchiveRequest());

        Assert.Equal(CampaignOutcome.Archived, Assert.Single(result.Campaigns).Outcome);
        Assert.Equal(0, result.Campaigns[0].Documents.Removed);
        Assert.True(_store.IsLive(stray));
        Assert.Equal(2, _store.BodyOf(stray)!.Value.GetProperty("campaign_id").GetInt64());
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

    private sealed class RecordingProgress : IArchiveProgress
    {
        public List<string> Events { get; } = [];

        public void CampaignStarted(Source.CampaignInfo campaign, long expectedRows) => Events.Add($"start {campaign.Id}");

        public void RowsArchived(Source.CampaignInfo campaign, long rowsRead, long expectedRows, BatchTotals documents) => Events.Add($"rows {rowsRead}");

        public void Verifying(Source.CampaignInfo campaign) => Events.Add($"verify {campaign.Id}");

        public void CampaignFinished(CampaignResult result) => Events.Add($"end {result.CampaignId} {result.Outcome}");
    }
}
