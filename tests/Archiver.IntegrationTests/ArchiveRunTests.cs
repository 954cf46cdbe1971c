using Archiver.Documents;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

public sealed class ArchiveRunTests : DatabaseTest
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2500)]
    [InlineData(2501)]
    [InlineData(10_000)]
    public async Task A_campaign_is_copied_exactly_then_flagged(int entries)
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        var running = await Db.AddCampaignAsync(TimeSpan.FromDays(-1));
        await Db.AddEntriesAsync(campaign, entries);
        await Db.AddEntriesAsync(running, 7); // interleaved keys of a campaign that must not be touched

        var result = await Db.Engine().RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Archived, outcome.Outcome);
        Assert.Equal(entries, outcome.RowsRead);
        Assert.Equal((entries + 2499) / 2500, outcome.Batches);
        Assert.Equal(entries, (await Db.ArchivedDocumentsAsync(campaign)).Count);
        await ArchiveOracle.AssertExactAsync(Db, campaign);
        Assert.Equal(entries, (await Db.CouchInfoAsync())!.DocCount); // nothing else in the database: rollups have their own
        Assert.Equal(outcome.Rollups.Created, (await Db.CouchInfoAsync(Db.EntryRollupsDb))!.DocCount);
        Assert.True(await Db.IsArchivedAsync(campaign));
        Assert.True(await Db.ScalarAsync<bool>("SELECT archived_at BETWEEN UTC_TIMESTAMP(3) - INTERVAL 5 MINUTE AND UTC_TIMESTAMP(3) FROM campaigns WHERE id = @campaign", new { campaign }));
        Assert.False(await Db.IsArchivedAsync(running));
    }

    [Fact]
    public async Task The_bytes_written_are_the_bulk_bodies_the_server_received()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 1200);
        await Db.AddVotesAsync(campaign, 300);
        using var handler = new CountingHandler();
        using var http = handler.CreateClient();
        var couch = new Archiver.CouchDb.CouchDbClient(http, pipelines: TestDatabases.Pipelines());

        var outcome = Assert.Single((await Db.Engine(batchSize: 500, wrapStore: _ => couch).RunAsync(new ArchiveRequest())).Campaigns);

        Assert.Equal(CampaignOutcome.Archived, outcome.Outcome);
        var bulk = handler.Seen.Where(r => r.Method == "POST" && r.Path.EndsWith("/_bulk_docs", StringComparison.Ordinal)).ToList();
        Assert.True(bulk.Count >= 3 + 1 + 2, $"{bulk.Count} _bulk_docs requests"); // entries in 3 batches, votes in 1, then each set's rollups
        Assert.Equal(bulk.Sum(r => r.RequestBytes), outcome.BytesWritten);
        Assert.True(outcome.BytesWritten > 1500 * 100, $"{outcome.BytesWritten:N0} bytes for 1,500 documents");
    }

    [Fact]
    public async Task Only_completed_unarchived_campaigns_are_flagged_whatever_their_kind()
    {
        var eligible = await Db.AddCampaignAsync(TimeSpan.FromHours(48.5));
        var recent = await Db.AddCampaignAsync(TimeSpan.FromHours(47.5));
        var running = await Db.AddCampaignAsync(TimeSpan.FromDays(-3));
        var vote = await Db.AddCampaignAsync(TimeSpan.FromDays(5), kind: "vote");
        var done = await Db.AddCampaignAsync(TimeSpan.FromDays(9), archived: true);
        foreach (var id in new[] { eligible, recent, running, vote, done })
        {
            await Db.AddEntriesAsync(id, 3);
        }

        var result = await Db.Engine().RunAsync(new ArchiveRequest());

        Assert.True(await Db.IsArchivedAsync(eligible));
        Assert.False(await Db.IsArchivedAsync(recent));
        Assert.False(await Db.IsArchivedAsync(running));
        Assert.True(await Db.IsArchivedAsync(vote));
        Assert.Equal((2, 0, 0), (result.Archived, result.Skipped, result.Failed));
        await ArchiveOracle.AssertExactAsync(Db, eligible);
        await ArchiveOracle.AssertExactAsync(Db, vote);
    }

    [Fact]
    public async Task A_second_run_writes_nothing_and_changes_no_revision()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 3000);
        await Db.AddVotesAsync(campaign, 500);
        await Db.Engine().RunAsync(new ArchiveRequest());
        var before = await Db.ArchiveStateAsync();
        var revisions = (await Db.ArchivedDocumentsAsync(campaign)).ToDictionary(p => p.Key, p => p.Value.Rev);

        var again = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.Empty(again.Campaigns);

        // Even when the flag is lost (a crash just before it), the copy is recognised, not rewritten.
        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL WHERE id = @campaign", new { campaign });
        var rerun = await Db.Engine().RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(rerun.Campaigns);
        Assert.Equal(CampaignOutcome.Archived, outcome.Outcome);
        // Every write meets our own identical document: unchanged, not a conflict.
        Assert.Equal(new BatchTotals(0, 0, 3500, 0), outcome.Documents);
        Assert.Equal(0, outcome.Rollups.Written);
        Assert.Equal(before, await Db.ArchiveStateAsync());
        Assert.Equal(revisions, (await Db.ArchivedDocumentsAsync(campaign)).ToDictionary(p => p.Key, p => p.Value.Rev));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    public async Task A_run_killed_mid_campaign_then_rerun_ends_with_an_exact_copy(int crashOnSave, bool afterWrite)
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 1000);
        var crashing = new FaultyStore(Db.Couch) { CrashOnSave = crashOnSave, CrashAfterWrite = afterWrite };

        var crashed = await Db.Engine(batchSize: 300, wrapStore: _ => crashing).RunAsync(new ArchiveRequest());

        Assert.Equal(CampaignOutcome.Failed, Assert.Single(crashed.Campaigns).Outcome);
        Assert.Contains("simulated crash", crashed.Campaigns[0].Reason, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));

        // Meanwhile MySQL changes: it is the truth until the flag is set.
        var keys = await Db.EntryKeysAsync(campaign);
        await Db.ExecuteAsync("UPDATE contest_campaign_entries SET message = 'edited after the crash ✎', winner = 1 WHERE id = @id", new { id = keys[10] });
        await Db.ExecuteAsync("DELETE FROM contest_campaign_entries WHERE id = @id", new { id = keys[999] });

        var rerun = await Db.Engine(batchSize: 300).RunAsync(new ArchiveRequest());

        Assert.Equal(CampaignOutcome.Archived, Assert.Single(rerun.Campaigns).Outcome);
        Assert.True(await Db.IsArchivedAsync(campaign));
        var documents = await Db.ArchivedDocumentsAsync(campaign);
        Assert.Equal(999, documents.Count); // the deleted row's document is gone too
        await ArchiveOracle.AssertExactAsync(Db, campaign);
        var edited = documents[keys[10]].Body!.Value;
        Assert.Equal("edited after the crash ✎", edited.GetProperty("message").GetString());
        Assert.True(edited.GetProperty("winner").GetBoolean());
        Assert.Equal(1, rerun.Campaigns[0].Documents.Updated);
    }

    [Fact]
    public async Task A_lost_write_is_caught_by_verification_and_the_flag_stays_unset()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 50);
        var keys = await Db.EntryKeysAsync(campaign);
        var lossy = new FaultyStore(Db.Couch);
        lossy.Lose.Add(DocumentIds.ForRow("contest_campaign_entries", campaign, keys[17]));

        var result = await Db.Engine(wrapStore: _ => lossy).RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Failed, outcome.Outcome);
        Assert.Equal(
            $"verification of contest_campaign_entries failed: campaign {campaign}, set contest_campaign_entries, database {Db.EntriesDb}: 1 of 50 rows have no document ({DocumentIds.ForRow("contest_campaign_entries", campaign, keys[17])}); run again to copy them",
            outcome.Reason);
        Assert.False(await Db.IsArchivedAsync(campaign));

        var rerun = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.Equal(CampaignOutcome.Archived, Assert.Single(rerun.Campaigns).Outcome);
        Assert.Equal(50, (await Db.ArchivedDocumentsAsync(campaign)).Count);
    }

    [Fact]
    public async Task A_document_the_server_refuses_fails_the_campaign_naming_the_row()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 20);
        var keys = await Db.EntryKeysAsync(campaign);
        await Db.ExecuteAsync("UPDATE contest_campaign_entries SET message = 'REFUSE ME' WHERE id = @id", new { id = keys[5] });
        using (var content = new StringContent(
            """{"validate_doc_update":"function(newDoc){ if (newDoc.message === 'REFUSE ME') { throw({forbidden: 'message refused by test'}); } }"}""",
            System.Text.Encoding.UTF8, "application/json"))
        {
            await Db.Couch.EnsureDatabaseAsync(Db.EntriesDb);
            (await Db.Http.PutAsync($"{Db.EntriesDb}/_design/refuse", content)).EnsureSuccessStatusCode();
        }

        var result = await Db.Engine().RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Failed, outcome.Outcome);
        Assert.Equal(
            $"CouchDB database {Db.EntriesDb} refused document {DocumentIds.ForRow("contest_campaign_entries", campaign, keys[5])} (contest_campaign_entries id={keys[5]}): forbidden: message refused by test",
            outcome.Reason);
        Assert.False(await Db.IsArchivedAsync(campaign));
    }

    [Fact]
    public async Task A_zero_date_fails_the_campaign_naming_table_and_key()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 3);
        await Db.ExecuteAsync(
            "SET SESSION sql_mode = ''; INSERT INTO contest_campaign_entries (campaign_id, entry_number, created_at) VALUES (@campaign, 4, '0000-00-00 00:00:00')",
            new { campaign });
        var bad = (await Db.EntryKeysAsync(campaign))[^1];

        var result = await Db.Engine().RunAsync(new ArchiveRequest());

        Assert.Equal(
            $"contest_campaign_entries id={bad}: column created_at holds the zero date 0000-00-00, which has no ISO-8601 form",
            Assert.Single(result.Campaigns).Reason);
        Assert.False(await Db.IsArchivedAsync(campaign));
    }

    [Fact]
    public async Task An_invalid_date_fails_its_campaign_naming_the_row_and_the_run_goes_on()
    {
        var broken = await Db.AddCampaignAsync(TimeSpan.FromDays(4));
        var healthy = await Db.AddCampaignAsync(TimeSpan.FromDays(3));
        await Db.AddEntriesAsync(broken, 5);
        await Db.AddEntriesAsync(healthy, 5);
        await Db.ExecuteAsync(
            "SET SESSION sql_mode = ''; INSERT INTO contest_campaign_entries (campaign_id, entry_number, created_at) VALUES (@broken, 6, '2026-11-00 10:00:00')",
            new { broken });
        var bad = (await Db.EntryKeysAsync(broken))[^1];

        var result = await Db.Engine(batchSize: 2).RunAsync(new ArchiveRequest());

        var failed = result.Campaigns.Single(c => c.CampaignId == broken);
        Assert.Equal(CampaignOutcome.Failed, failed.Outcome);
        Assert.StartsWith($"contest_campaign_entries id={bad}: column created_at cannot be read: ", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(4, failed.Documents.Created);
        Assert.False(await Db.IsArchivedAsync(broken));
        Assert.True(await Db.IsArchivedAsync(healthy));
    }

    [Fact]
    public async Task Documents_of_rows_deleted_after_an_interrupted_run_are_removed_before_the_flag()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        var neighbour = await Db.AddCampaignAsync(TimeSpan.FromDays(-1));
        await Db.AddEntriesAsync(campaign, 9);
        await Db.AddEntriesAsync(neighbour, 4);
        var keys = await Db.EntryKeysAsync(campaign);
        var crashing = new FaultyStore(Db.Couch) { CrashOnSave = 3, CrashAfterWrite = true };
        await Db.Engine(batchSize: 4, wrapStore: _ => crashing).RunAsync(new ArchiveRequest());
        Assert.Equal(9, (await Db.ArchivedDocumentsAsync(campaign)).Count);

        // Rows deleted before the re-run, including the highest key: their documents must go.
        await Db.ExecuteAsync("DELETE FROM contest_campaign_entries WHERE id IN @gone", new { gone = new[] { keys[1], keys[8] } });
        var neighbours = await Db.ArchivedDocumentsAsync(neighbour);

        var rerun = await Db.Engine(batchSize: 4).RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(rerun.Campaigns);
        Assert.Equal(CampaignOutcome.Archived, outcome.Outcome);
        Assert.Equal(2, outcome.Documents.Removed);
        Assert.Equal(7, (await Db.ArchivedDocumentsAsync(campaign)).Count);
        await ArchiveOracle.AssertExactAsync(Db, campaign);
        Assert.Equal(neighbours.Count, (await Db.ArchivedDocumentsAsync(neighbour)).Count);
        Assert.True(await Db.IsArchivedAsync(campaign));
    }

    [Fact]
    public async Task Dry_run_reports_and_writes_nothing()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 5001);

        var result = await Db.Engine().RunAsync(new ArchiveRequest(DryRun: true));

        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal((CampaignOutcome.WouldArchive, 5001L, 3), (outcome.Outcome, outcome.RowsRead, outcome.Batches));
        Assert.Null(await Db.CouchInfoAsync());
        Assert.Null(await Db.CouchInfoAsync(Db.VotesDb));
        Assert.False(await Db.IsArchivedAsync(campaign));
    }
}
