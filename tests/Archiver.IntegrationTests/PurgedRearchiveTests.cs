using Archiver.Documents;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Purge;

namespace Archiver.IntegrationTests;

/// <summary>
/// A campaign whose flag is lost or reset after a purge (issue 14): the archive is the only copy of the
/// purged rows, so a re-run must neither delete nor rewrite their documents, nor recount the rollups
/// from the rows left in MySQL. Every test copies the rows before the purge and ends by comparing the
/// archive, document by document and rollup by rollup, with that copy.
/// </summary>
public sealed class PurgedRearchiveTests : DatabaseTest
{
    private const string Entries = "contest_campaign_entries";
    private const string Votes = "vote_campaign_votes";
    private const string EntriesBefore = "entries_before_purge";
    private const string VotesBefore = "votes_before_purge";

    /// <summary>The trial, smaller: one campaign's purge stopped part-way, another's complete, both flags reset, archive run.</summary>
    [Fact]
    public async Task Resetting_the_flags_of_purged_campaigns_loses_nothing_and_flags_them_again()
    {
        var partly = await Db.AddCompletedCampaignAsync();
        var wholly = await Db.AddCompletedCampaignAsync(kind: "vote");
        await Db.AddEntriesAsync(partly, 1_200);
        await Db.AddVotesAsync(wholly, 700);
        await ArchiveAndKeepTheRowsAsync();
        var stop = new Checkpoints { ["purge-after-batch:2"] = () => throw new InvalidOperationException("stopped") };
        Assert.Equal(PurgeOutcome.Failed, Assert.Single((await Db.Purge(stop).RunAsync(new PurgeRequest(partly, BatchSize: 500))).Campaigns).Outcome);
        Assert.Equal(PurgeOutcome.Purged, Assert.Single((await Db.Purge().RunAsync(new PurgeRequest(wholly))).Campaigns).Outcome);
        Assert.Equal(200, (await Db.EntryKeysAsync(partly)).Count);
        // Every id with its revision and the live/deleted counts, never update_seq: a cluster answers two
        // reads of an unchanged database with different sequence strings (docs/couchdb-compat.md).
        var archive = await Db.ArchiveStateAsync();

        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL WHERE id IN (@partly, @wholly)", new { partly, wholly });
        var rerun = await Db.Engine().RunAsync(new ArchiveRequest());

        Assert.True(rerun.Succeeded, string.Join("; ", rerun.Campaigns.Select(c => c.Reason)));
        foreach (var campaign in rerun.Campaigns)
        {
            Assert.Equal(CampaignOutcome.Archived, campaign.Outcome);
            Assert.Equal((0, 0, 0), (campaign.Documents.Written, campaign.Documents.Removed, campaign.Rollups.Written + campaign.Rollups.Removed));
        }

        Assert.Equal([partly, wholly], rerun.Campaigns.Select(c => c.CampaignId).Order());
        Assert.Equal(archive, await Db.ArchiveStateAsync()); // not one write to any archive database
        await AssertAsBeforeThePurgeAsync(partly, wholly);

        // The purge goes on from its journal: the re-flag left the archive and the journal as they were.
        var resumed = await Db.Purge().RunAsync(new PurgeRequest());
        Assert.Equal((PurgeOutcome.Purged, 200L), (Assert.Single(resumed.Campaigns).Outcome, resumed.Campaigns[0].RowsDeleted));
        await AssertAsBeforeThePurgeAsync(partly, wholly);
    }

    /// <summary>Every way a purge can have ended, for each set, then the flag reset and the campaign archived again.</summary>
    [Theory]
    [InlineData(Entries, "complete")]
    [InlineData(Entries, "stopped after a batch")]
    [InlineData(Entries, "killed in verification")]
    [InlineData(Entries, "killed after its journal entry")]
    [InlineData(Votes, "complete")]
    [InlineData(Votes, "stopped after a batch")]
    [InlineData(Votes, "killed in verification")]
    [InlineData(Votes, "killed after its journal entry")]
    public async Task Every_purge_state_then_a_reset_flag_ends_flagged_with_nothing_lost(string table, string purge)
    {
        var campaign = await Db.AddCompletedCampaignAsync(kind: table == Entries ? "contest" : "vote");
        var neighbour = await Db.AddCompletedCampaignAsync(kind: table == Entries ? "contest" : "vote");
        foreach (var id in new[] { campaign, neighbour })
        {
            if (table == Entries)
            {
                await Db.AddEntriesAsync(id, 900);
            }
            else
            {
                await Db.AddVotesAsync(id, 900);
            }
        }

        await ArchiveAndKeepTheRowsAsync();
        var point = purge switch
        {
            "stopped after a batch" => "purge-after-batch:1",
            "killed in verification" => $"purge-after-verify:{table}",
            "killed after its journal entry" => $"purge-after-start:{table}",
            _ => null,
        };
        var checkpoints = new Checkpoints();
        if (point is not null)
        {
            checkpoints[point] = () => throw new InvalidOperationException("killed");
        }

        await Db.Purge(checkpoints).RunAsync(new PurgeRequest(campaign, BatchSize: 400));
        var left = await RowsAsync(table, campaign);
        Assert.Equal(purge switch { "complete" => 0, "stopped after a batch" => 500, _ => 900 }, left);

        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL WHERE id = @campaign", new { campaign });
        var rerun = await Db.Engine().RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(rerun.Campaigns);
        Assert.True(outcome.Outcome == CampaignOutcome.Archived, outcome.Reason);
        Assert.Equal((0, 0), (outcome.Documents.Written, outcome.Documents.Removed));
        Assert.True(await Db.IsArchivedAsync(campaign));
        await AssertAsBeforeThePurgeAsync(campaign, neighbour);

        // Whatever was left, a purge then finishes, and the archive is still the rows as they were.
        var finished = await Db.Purge().RunAsync(new PurgeRequest(campaign));
        Assert.True(Assert.Single(finished.Campaigns).Outcome is PurgeOutcome.Purged or PurgeOutcome.Skipped, finished.Campaigns[0].Reason);
        Assert.Equal(0, await RowsAsync(table, campaign));
        await AssertAsBeforeThePurgeAsync(campaign, neighbour);
    }

    [Fact]
    public async Task A_purged_rows_document_changed_while_the_flag_was_reset_is_refused_and_kept_as_it_is()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 800);
        await ArchiveAndKeepTheRowsAsync();
        var keys = await Db.EntryKeysAsync(campaign);
        var stop = new Checkpoints { ["purge-after-batch:1"] = () => throw new InvalidOperationException("stopped") };
        await Db.Purge(stop).RunAsync(new PurgeRequest(campaign, BatchSize: 300));
        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL WHERE id = @campaign", new { campaign });
        var purgedId = DocumentIds.ForRow(Entries, campaign, keys[5]);
        await Db.EditDocumentAsync(Db.EntriesDb, purgedId, "message", "edited in the archive");
        var state = await Db.CouchStateAsync(Db.EntriesDb);

        var refused = Assert.Single((await Db.Engine().RunAsync(new ArchiveRequest())).Campaigns);

        Assert.Equal(CampaignOutcome.Failed, refused.Outcome);
        Assert.StartsWith($"verification of {Entries} failed: campaign {campaign}, set {Entries}, database {Db.EntriesDb}: the archive changed since this purge started", refused.Reason, StringComparison.Ordinal);
        Assert.EndsWith("not flagged: its archive holds the only copy of 300 purged rows and is never rewritten (README: re-running a purged campaign)", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(state, await Db.CouchStateAsync(Db.EntriesDb)); // nothing written, nothing removed
        Assert.False(await Db.IsArchivedAsync(campaign));

        // Put back as it was, the archive is recognised and the campaign flagged.
        await Db.EditDocumentAsync(Db.EntriesDb, purgedId, "message", null, restore: true);
        Assert.Equal(CampaignOutcome.Archived, Assert.Single((await Db.Engine().RunAsync(new ArchiveRequest())).Campaigns).Outcome);
        await AssertAsBeforeThePurgeAsync(campaign);
    }

    [Fact]
    public async Task A_remaining_row_changed_while_the_flag_was_reset_is_refused_without_rewriting_the_archive()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 800);
        await ArchiveAndKeepTheRowsAsync();
        var stop = new Checkpoints { ["purge-after-batch:1"] = () => throw new InvalidOperationException("stopped") };
        await Db.Purge(stop).RunAsync(new PurgeRequest(campaign, BatchSize: 300));
        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL WHERE id = @campaign", new { campaign });
        var changed = (await Db.EntryKeysAsync(campaign))[100];
        await Db.ExecuteAsync("UPDATE contest_campaign_entries SET message = 'changed while unflagged' WHERE id = @changed", new { changed });
        var state = await Db.CouchStateAsync(Db.EntriesDb);

        var refused = Assert.Single((await Db.Engine().RunAsync(new ArchiveRequest())).Campaigns);

        Assert.Equal(CampaignOutcome.Failed, refused.Outcome);
        Assert.Contains($"1 documents differ from their rows ({DocumentIds.ForRow(Entries, campaign, changed)}: message", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("not flagged: its archive holds the only copy of 300 purged rows", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(state, await Db.CouchStateAsync(Db.EntriesDb));
        Assert.False(await Db.IsArchivedAsync(campaign));
        await ArchiveOracle.AssertExactAsync(Db, campaign, EntriesBefore, VotesBefore);
    }

    [Fact]
    public async Task A_purge_journal_that_disagrees_with_the_record_of_the_first_flag_is_refused()
    {
        var campaign = await Db.AddCompletedCampaignAsync(kind: "vote");
        await Db.AddVotesAsync(campaign, 500);
        await ArchiveAndKeepTheRowsAsync();
        var purge = Assert.Single((await Db.Purge().RunAsync(new PurgeRequest(campaign))).Campaigns);
        Assert.True(purge.Outcome == PurgeOutcome.Purged, purge.Reason);
        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL WHERE id = @campaign", new { campaign });
        Assert.Equal(1, await Db.ExecuteAsync("UPDATE archiver_archived_sets SET row_count = 499 WHERE campaign_id = @campaign AND set_table = @table", new { campaign, table = Votes }));

        var refused = Assert.Single((await Db.Engine().RunAsync(new ArchiveRequest())).Campaigns);

        Assert.Equal(CampaignOutcome.Failed, refused.Outcome);
        Assert.Contains("the purge journal (archiver_purge_sets: 500 documents, checksum ", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("and the record of the campaign's flag (archiver_archived_sets: 499 rows, checksum ", refused.Reason, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));
        await AssertAsBeforeThePurgeAsync(campaign);
    }

    [Fact]
    public async Task A_campaign_reopened_between_verification_and_the_flag_is_not_flagged()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 300);
        var reopen = new Checkpoints
        {
            ["after-verify"] = () => Db.ExecuteAsync("UPDATE campaigns SET ends_at = UTC_TIMESTAMP(3) + INTERVAL 1 DAY WHERE id = @campaign", new { campaign }).GetAwaiter().GetResult(),
        };

        var result = await Db.Engine(checkpoints: reopen).RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Skipped, outcome.Outcome);
        Assert.StartsWith("re-opened before the flag: it now ends at ", outcome.Reason, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_archived_sets WHERE campaign_id = @campaign", new { campaign }));

        await Db.ExecuteAsync("UPDATE campaigns SET ends_at = UTC_TIMESTAMP(3) - INTERVAL 3 DAY WHERE id = @campaign", new { campaign });
        Assert.Equal(CampaignOutcome.Archived, Assert.Single((await Db.Engine().RunAsync(new ArchiveRequest())).Campaigns).Outcome);
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Theory]
    [InlineData("row document", false)]
    [InlineData("rollup", false)]
    [InlineData("purged row's document", true)]
    [InlineData("rollup", true)]
    public async Task A_document_rewritten_between_verification_and_the_flag_is_not_flagged(string rewritten, bool purged)
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 600);
        var keys = await Db.EntryKeysAsync(campaign);
        if (purged)
        {
            await ArchiveAndKeepTheRowsAsync();
            var stop = new Checkpoints { ["purge-after-batch:1"] = () => throw new InvalidOperationException("stopped") };
            await Db.Purge(stop).RunAsync(new PurgeRequest(campaign, BatchSize: 200));
            await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL WHERE id = @campaign", new { campaign });
        }

        var field = rewritten == "rollup" ? "note" : "message";
        var database = rewritten == "rollup" ? Db.EntryRollupsDb : Db.EntriesDb;
        var id = DocumentIds.ForRow(Entries, campaign, keys[10]);

        // The last moment before the flag transaction, after the views' refresh (the rollups exist by then).
        var edit = new Checkpoints
        {
            ["before-flag"] = () =>
            {
                if (rewritten == "rollup")
                {
                    var (start, end) = DocumentIds.RollupRange(Entries, campaign);
                    id = Db.RangeAsync(database, start, end).GetAwaiter().GetResult().Keys.Order(StringComparer.Ordinal).First();
                }

                Db.EditDocumentAsync(database, id, field, "written by someone else").GetAwaiter().GetResult();
            },
        };

        var result = await Db.Engine(checkpoints: edit).RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Failed, outcome.Outcome);
        Assert.Contains($"campaign {campaign}, set {Entries}, database {Db.EntriesDb}: the archive changed after it was verified", outcome.Reason, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));

        if (purged && rewritten != "rollup")
        {
            // The only copy of a purged row changed: refused, never "repaired" from a guess. (A rollup is
            // rebuilt from the documents by the next run.)
            Assert.Equal(CampaignOutcome.Failed, Assert.Single((await Db.Engine().RunAsync(new ArchiveRequest())).Campaigns).Outcome);
            await Db.EditDocumentAsync(database, id, field, null, restore: true);
        }

        var again = Assert.Single((await Db.Engine().RunAsync(new ArchiveRequest())).Campaigns);
        Assert.True(again.Outcome == CampaignOutcome.Archived, again.Reason);
        if (purged)
        {
            await AssertAsBeforeThePurgeAsync(campaign);
        }
        else
        {
            await ArchiveOracle.AssertExactAsync(Db, campaign); // the rewritten document or rollup is the row's again
        }
    }

    /// <summary>Archives every completed campaign, then copies both tables: the rows as they were before any purge.</summary>
    private async Task ArchiveAndKeepTheRowsAsync()
    {
        var archived = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.True(archived.Succeeded && archived.Archived > 0, string.Join("; ", archived.Campaigns.Select(c => c.Reason)));
        await Db.ExecuteAsync($"CREATE TABLE {EntriesBefore} AS SELECT * FROM {Entries}; CREATE TABLE {VotesBefore} AS SELECT * FROM {Votes}");
    }

    private async Task AssertAsBeforeThePurgeAsync(params long[] campaigns)
    {
        foreach (var campaign in campaigns)
        {
            await ArchiveOracle.AssertExactAsync(Db, campaign, EntriesBefore, VotesBefore);
        }
    }

    private Task<long> RowsAsync(string table, long campaign) =>
        Db.ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE campaign_id = @campaign", new { campaign });
}
