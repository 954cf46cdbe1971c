using Archiver.Documents;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Purge;

namespace Archiver.IntegrationTests;

/// <summary>The purge engine on the real servers: campaigns are archived with the archive engine first, then purged.</summary>
public sealed class PurgeTests : DatabaseTest
{
    private const string Entries = "contest_campaign_entries";
    private const string Votes = "vote_campaign_votes";

    [Fact]
    public async Task Purge_deletes_exactly_the_campaigns_rows_in_every_set_and_journals_it()
    {
        var purged = await Db.AddCompletedCampaignAsync();
        var other = await Db.AddCompletedCampaignAsync(kind: "vote");
        var running = await Db.AddCampaignAsync(TimeSpan.FromDays(-1));
        await Db.AddEntriesAsync(purged, 2_300);
        await Db.AddVotesAsync(purged, 700);
        await Db.AddEntriesAsync(other, 40);
        await Db.AddVotesAsync(other, 60);
        await Db.AddEntriesAsync(running, 30); // keys interleaved with no campaign's: it is neither archived nor purged
        await ArchiveAsync();
        var archive = await SequencesAsync();

        var result = await Db.Purge().RunAsync(new PurgeRequest(CampaignId: purged));

        var outcome = Assert.Single(result.Campaigns);
        Assert.True(outcome.Outcome == PurgeOutcome.Purged, outcome.Reason);
        Assert.Equal((3_000, 3_000, 4), (outcome.RowsVerified, outcome.RowsDeleted, outcome.Batches)); // 3 entry batches of up to 1,000, 1 vote batch
        Assert.True(result.DeleteRowsPerSecond > 0 && result.RowsPerSecond > 0);
        Assert.True(result.Complete);
        Assert.Equal((0, 0), await RowsAsync(purged));
        Assert.Equal((40, 60), await RowsAsync(other));
        Assert.Equal((30, 0), await RowsAsync(running));
        Assert.Equal(archive, await SequencesAsync()); // the archive was only read

        var journal = await JournalAsync(purged);
        Assert.Equal(2, journal.Count);
        Assert.Equal((2_300L, 2_300L, 3, true), (journal[Entries].Documents, journal[Entries].RowsDeleted, journal[Entries].Batches, journal[Entries].Finished));
        Assert.Equal((700L, 700L, 1, true), (journal[Votes].Documents, journal[Votes].RowsDeleted, journal[Votes].Batches, journal[Votes].Finished));
        Assert.Contains($"{Entries}={journal[Entries].Checksum}", outcome.Checksums);
        Assert.Equal([$"{Entries} by revisions", $"{Votes} by revisions"], outcome.VerifiedBy); // no document body was read
        Assert.Empty(await JournalAsync(other));

        // Without --campaign, every archived campaign with rows left: only the other one now.
        var rest = await Db.Purge().RunAsync(new PurgeRequest());
        Assert.Equal(other, Assert.Single(rest.Campaigns).CampaignId);
        Assert.Equal((0, 0), await RowsAsync(other));
        Assert.Equal((30, 0), await RowsAsync(running));
        Assert.Empty((await Db.Purge().RunAsync(new PurgeRequest())).Campaigns);
    }

    [Fact]
    public async Task A_first_purge_proves_the_archive_by_the_revisions_the_flag_recorded_and_reads_bodies_when_a_document_was_rewritten()
    {
        var rewritten = await Db.AddCompletedCampaignAsync();
        var untouched = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(rewritten, 1_200);
        await Db.AddEntriesAsync(untouched, 50);
        await ArchiveAsync();
        var recorded = await ArchivedSetsAsync(rewritten);
        Assert.Equal(1_200, recorded[Entries].Rows);
        Assert.Matches("^[0-9a-f]{64}$", recorded[Entries].Digest);
        Assert.Equal(0, recorded[Votes].Rows);

        // The same content under a new revision: revisions no longer prove it, the bodies still do.
        var id = DocumentIds.ForRow(Entries, rewritten, (await Db.EntryKeysAsync(rewritten))[700]);
        await Db.EditDocumentAsync(Db.EntriesDb, id, "message", "edited in the archive");
        await Db.EditDocumentAsync(Db.EntriesDb, id, "message", null, restore: true);

        var result = await Db.Purge().RunAsync(new PurgeRequest());

        var first = result.Campaigns.Single(c => c.CampaignId == rewritten);
        Assert.True(first.Outcome == PurgeOutcome.Purged, first.Reason);
        Assert.Equal([$"{Entries} by contents"], first.VerifiedBy);
        var second = result.Campaigns.Single(c => c.CampaignId == untouched);
        Assert.True(second.Outcome == PurgeOutcome.Purged, second.Reason);
        Assert.Equal([$"{Entries} by revisions"], second.VerifiedBy);
        Assert.Equal((0, 0), await RowsAsync(rewritten));
        Assert.Equal((0, 0), await RowsAsync(untouched));
    }

    [Theory]
    [InlineData("document deleted")]
    [InlineData("document edited")]
    [InlineData("row edited")]
    public async Task A_row_the_archive_does_not_hold_as_it_is_blocks_the_purge_of_its_campaign(string change)
    {
        var blocked = await Db.AddCompletedCampaignAsync();
        var fine = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(blocked, 1_500);
        await Db.AddVotesAsync(blocked, 20);
        await Db.AddEntriesAsync(fine, 30);
        await ArchiveAsync();
        // In the first chunk of the flag's record (ArchivedChunk.Rows): the first chunk of every set is
        // verified before anything is deleted (PurgeChunkTests: a later chunk).
        var key = (await Db.EntryKeysAsync(blocked))[234];
        var id = DocumentIds.ForRow(Entries, blocked, key);
        await Db.ChangeArchivedEntryAsync(change, blocked, key);

        var result = await Db.Purge().RunAsync(new PurgeRequest());

        var outcome = result.Campaigns.Single(c => c.CampaignId == blocked);
        Assert.Equal(PurgeOutcome.Blocked, outcome.Outcome);
        Assert.Contains($"campaign {blocked}, set {Entries}, database {Db.EntriesDb}:", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains(id, outcome.Reason, StringComparison.Ordinal);
        Assert.Contains(change == "document deleted" ? "1 of 1,000 rows have no document" : "1 documents differ from their rows (", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, outcome.RowsDeleted);
        Assert.Equal((1_500, 20), await RowsAsync(blocked)); // not even the votes, which match: every set is verified first
        Assert.Empty(await JournalAsync(blocked));
        Assert.Equal(PurgeOutcome.Purged, result.Campaigns.Single(c => c.CampaignId == fine).Outcome);
        Assert.Equal((0, 0), await RowsAsync(fine));
        Assert.Equal((1, 1, 0), (result.Purged, result.Blocked, result.Failed));
        Assert.False(result.Complete);
    }

    [Fact]
    public async Task A_row_changed_after_verification_is_not_deleted_and_stops_the_campaign()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 2_500);
        await ArchiveAsync();
        var keys = await Db.EntryKeysAsync(campaign);
        var checkpoints = new Checkpoints
        {
            // Between verification and the delete phase; the second chunk holds the row.
            [$"purge-after-verify:{Entries}"] = () => Db.ExecuteAsync("UPDATE contest_campaign_entries SET winner = 1 - winner WHERE id = @key", new { key = keys[1_500] }).GetAwaiter().GetResult(),
        };

        var result = await Db.Purge(checkpoints).RunAsync(new PurgeRequest(CampaignId: campaign));

        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal(PurgeOutcome.Blocked, outcome.Outcome);
        Assert.Contains($"rows with ids {keys[1_000]}..{keys[1_999]} changed after they were verified", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal((1_000, 1), (outcome.RowsDeleted, outcome.Batches));
        Assert.Equal(keys.Skip(1_000).ToList(), await Db.EntryKeysAsync(campaign));
        Assert.Equal(1_000L, (await JournalAsync(campaign))[Entries].RowsDeleted);

        // Re-verified, the changed row no longer matches its document: blocked until someone decides.
        var again = await Db.Purge().RunAsync(new PurgeRequest(CampaignId: campaign));
        Assert.Equal(PurgeOutcome.Blocked, Assert.Single(again.Campaigns).Outcome);
        Assert.Contains(DocumentIds.ForRow(Entries, campaign, keys[1_500]), again.Campaigns[0].Reason, StringComparison.Ordinal);
        Assert.Equal(1_500, (await Db.EntryKeysAsync(campaign)).Count);
    }

    [Fact]
    public async Task A_resumed_purge_requires_the_archive_to_be_unchanged_since_it_started()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 3_000);
        await ArchiveAsync();
        var keys = await Db.EntryKeysAsync(campaign);
        var stop = new Checkpoints { ["purge-after-batch:2"] = () => throw new InvalidOperationException("stop here") };
        var first = await Db.Purge(stop).RunAsync(new PurgeRequest());
        Assert.Equal(PurgeOutcome.Failed, Assert.Single(first.Campaigns).Outcome);
        Assert.Equal(1_000, (await Db.EntryKeysAsync(campaign)).Count);

        // The document of a row already purged is the only copy left of it: the purge must notice it changed.
        await Db.EditDocumentAsync(Db.EntriesDb, DocumentIds.ForRow(Entries, campaign, keys[10]), "message", "changed after the purge started");
        var blocked = await Db.Purge().RunAsync(new PurgeRequest());
        var outcome = Assert.Single(blocked.Campaigns);
        Assert.Equal(PurgeOutcome.Blocked, outcome.Outcome);
        Assert.Contains("the archive changed since this purge started: it holds 3,000 documents (checksum ", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("the purge journal recorded 3,000 (checksum ", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(1_000, (await Db.EntryKeysAsync(campaign)).Count);

        await Db.EditDocumentAsync(Db.EntriesDb, DocumentIds.ForRow(Entries, campaign, keys[10]), "message", null, restore: true);
        var resumed = await Db.Purge().RunAsync(new PurgeRequest());
        Assert.Equal((PurgeOutcome.Purged, 1_000L, 1_000L), (resumed.Campaigns[0].Outcome, resumed.Campaigns[0].RowsVerified, resumed.Campaigns[0].RowsDeleted));
        Assert.Empty(await Db.EntryKeysAsync(campaign));
        Assert.Equal((3_000L, true), ((await JournalAsync(campaign))[Entries].RowsDeleted, (await JournalAsync(campaign))[Entries].Finished));
    }

    [Fact]
    public async Task A_campaign_that_is_not_archived_is_refused_and_nothing_is_deleted()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 10);

        var result = await Db.Purge().RunAsync(new PurgeRequest(CampaignId: campaign));

        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal(PurgeOutcome.Failed, outcome.Outcome);
        Assert.StartsWith("not archived: refusing to purge", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal((10, 0), await RowsAsync(campaign));
        Assert.Empty((await Db.Purge().RunAsync(new PurgeRequest())).Campaigns); // never selected without --campaign either
    }

    [Fact]
    public async Task Older_than_follows_archived_at_by_the_database_clock_and_the_lock_keeps_others_out()
    {
        var old = await Db.AddCompletedCampaignAsync();
        var recent = await Db.AddCompletedCampaignAsync();
        var locked = await Db.AddCompletedCampaignAsync();
        foreach (var id in new[] { old, recent, locked })
        {
            await Db.AddEntriesAsync(id, 5);
        }

        await ArchiveAsync();
        await Db.ExecuteAsync("UPDATE campaigns SET archived_at = UTC_TIMESTAMP(3) - INTERVAL 25 HOUR WHERE id IN (@old, @locked)", new { old, locked });
        await using var held = await Db.Source().TryLockCampaignAsync(locked);

        var result = await Db.Purge().RunAsync(new PurgeRequest(OlderThan: TimeSpan.FromDays(1)));

        Assert.Equal([old, locked], result.Campaigns.Select(c => c.CampaignId).Order());
        Assert.Equal(PurgeOutcome.Purged, result.Campaigns.Single(c => c.CampaignId == old).Outcome);
        Assert.Equal(PurgeOutcome.Skipped, result.Campaigns.Single(c => c.CampaignId == locked).Outcome);
        Assert.Equal((0, 0), await RowsAsync(old));
        Assert.Equal((5, 0), await RowsAsync(recent));
        Assert.Equal((5, 0), await RowsAsync(locked));
        var refused = await Db.Purge().RunAsync(new PurgeRequest(CampaignId: recent, OlderThan: TimeSpan.FromDays(1)));
        Assert.StartsWith("not eligible: archived at ", Assert.Single(refused.Campaigns).Reason, StringComparison.Ordinal);
    }

    private async Task ArchiveAsync()
    {
        var archived = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.True(archived.Succeeded && archived.Archived > 0, string.Join("; ", archived.Campaigns.Select(c => c.Reason)));
    }

    private async Task<(long Entries, long Votes)> RowsAsync(long campaign) => (
        await Db.ScalarAsync<long>("SELECT COUNT(*) FROM contest_campaign_entries WHERE campaign_id = @campaign", new { campaign }),
        await Db.ScalarAsync<long>("SELECT COUNT(*) FROM vote_campaign_votes WHERE campaign_id = @campaign", new { campaign }));

    private Task<string> SequencesAsync() => Db.ArchiveStateAsync();

    private async Task<Dictionary<string, (long Documents, string Checksum, long RowsDeleted, int Batches, bool Finished)>> JournalAsync(long campaign)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var rows = await Dapper.SqlMapper.QueryAsync<(string Table, long Documents, string Checksum, long RowsDeleted, int Batches, bool Finished)>(connection,
            "SELECT set_table, documents, checksum, rows_deleted, batches, finished_at IS NOT NULL FROM archiver_purge_sets WHERE campaign_id = @campaign", new { campaign });
        return rows.ToDictionary(r => r.Table, r => (r.Documents, r.Checksum, r.RowsDeleted, r.Batches, r.Finished));
    }

    private async Task<Dictionary<string, (long Rows, string? Digest)>> ArchivedSetsAsync(long campaign)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var rows = await Dapper.SqlMapper.QueryAsync<(string Table, long Rows, string? Digest)>(connection,
            "SELECT set_table, row_count, revision_digest FROM archiver_archived_sets WHERE campaign_id = @campaign", new { campaign });
        return rows.ToDictionary(r => r.Table, r => (r.Rows, r.Digest));
    }
}
