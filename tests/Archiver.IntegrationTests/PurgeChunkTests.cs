using System.Globalization;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Purge;
using Dapper;

namespace Archiver.IntegrationTests;

/// <summary>
/// The purge of a set its flag recorded in chunks (<see cref="ArchivedChunk"/>, 1,000 rows each): 2,500
/// entries make three, verified one at a time against the record while the one before is deleted.
/// </summary>
public sealed class PurgeChunkTests : DatabaseTest
{
    private const string Entries = "contest_campaign_entries";
    private const int KilledExitCode = 137;

    private long _campaign;
    private List<long> _keys = [];

    protected override async Task InitializeDatabasesAsync()
    {
        _campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(_campaign, 2_500);
        await Db.AddVotesAsync(_campaign, 300);
        var archived = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.True(archived.Succeeded && archived.Archived == 1, string.Join("; ", archived.Campaigns.Select(c => c.Reason)));
        _keys = await Db.EntryKeysAsync(_campaign);
    }

    [Fact]
    public async Task The_flag_records_each_chunk_and_the_purge_verifies_them_one_by_one_and_deletes_exactly()
    {
        var chunks = await ChunksAsync(Entries);
        Assert.Equal([(0, _keys[0], _keys[999], 1_000L), (1, _keys[1_000], _keys[1_999], 1_000L), (2, _keys[2_000], _keys[^1], 500L)],
            chunks.Select(c => (c.Number, c.First, c.Last, c.Rows)));
        Assert.All(chunks, c => Assert.Matches("^[0-9a-f]{64}$", c.Digest));
        Assert.Equal(3, chunks.Select(c => c.Digest).Distinct().Count());
        var votes = Assert.Single(await ChunksAsync("vote_campaign_votes"));
        Assert.Equal((0, 300L), (votes.Number, votes.Rows));
        var archive = await Db.ArchiveStateAsync();

        var result = await Db.Purge().RunAsync(new PurgeRequest(CampaignId: _campaign));

        var outcome = Assert.Single(result.Campaigns);
        Assert.True(outcome.Outcome == PurgeOutcome.Purged, outcome.Reason);
        Assert.Equal((2_800L, 2_800L, 4), (outcome.RowsVerified, outcome.RowsDeleted, outcome.Batches));
        Assert.Equal([$"{Entries} by revisions", "vote_campaign_votes by revisions"], outcome.VerifiedBy); // no body read
        Assert.Equal(0, await EntriesLeftAsync());
        Assert.Equal((2_500L, 2_500L, true), await JournalAsync());
        Assert.Equal(archive, await Db.ArchiveStateAsync()); // the archive was only read
    }

    [Theory]
    [InlineData("document deleted")]
    [InlineData("document edited")]
    [InlineData("row edited")]
    public async Task A_document_or_row_changed_after_the_flag_stops_the_purge_at_its_chunk_with_nothing_of_that_chunk_deleted(string change)
    {
        var id = DocumentIds.ForRow(Entries, _campaign, _keys[1_500]);
        await Db.ChangeArchivedEntryAsync(change, _campaign, _keys[1_500]);

        var result = await Db.Purge().RunAsync(new PurgeRequest(CampaignId: _campaign));

        // Chunk 0 was proved and deleted while chunk 1 was verified; chunk 1 is where it stops, whole.
        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal(PurgeOutcome.Blocked, outcome.Outcome);
        if (change == "row edited")
        {
            // Chunk 1's rows are not read ahead: its delete transaction finds them not as recorded.
            Assert.Contains($"rows with ids {_keys[1_000]}..{_keys[1_999]} changed after they were verified", outcome.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"campaign {_campaign}, set {Entries}, database {Db.EntriesDb}: chunk 1 (keys {_keys[1_000]}..{_keys[1_999]}): ", outcome.Reason, StringComparison.Ordinal);
            Assert.Contains(change == "document deleted" ? $"1 of 1,000 rows have no document ({id})" : $"1 documents differ from their rows ({id}: ", outcome.Reason, StringComparison.Ordinal);
            Assert.Contains("nothing of this chunk deleted", outcome.Reason, StringComparison.Ordinal);
        }

        Assert.Equal(1_000, outcome.RowsDeleted);
        Assert.Equal(_keys.Skip(1_000).ToList(), await Db.EntryKeysAsync(_campaign));
        Assert.Equal((2_500L, 1_000L, false), await JournalAsync());
        Assert.Equal(300, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM vote_campaign_votes WHERE campaign_id = @campaign", new { campaign = _campaign }));

        // Still blocked on a re-run, at the same chunk: the first chunk is gone, its documents untouched.
        var again = Assert.Single((await Db.Purge().RunAsync(new PurgeRequest(CampaignId: _campaign))).Campaigns);
        Assert.Equal(PurgeOutcome.Blocked, again.Outcome);
        Assert.Contains($"chunk 1 (keys {_keys[1_000]}..{_keys[1_999]}): 1 ", again.Reason, StringComparison.Ordinal);
        Assert.Contains(id, again.Reason, StringComparison.Ordinal);
        Assert.Equal(1_500, await EntriesLeftAsync());
    }

    [Fact]
    public async Task A_campaign_flagged_before_chunks_were_recorded_is_purged_by_verifying_its_sets_whole()
    {
        await Db.ExecuteAsync("DELETE FROM archiver_archived_chunks WHERE campaign_id = @campaign", new { campaign = _campaign });
        var id = DocumentIds.ForRow(Entries, _campaign, _keys[2_400]);
        await Db.EditDocumentAsync(Db.EntriesDb, id, "message", "edited in the archive");

        // Whole-set verification: the changed document among the last rows blocks the purge before any delete.
        var blocked = Assert.Single((await Db.Purge().RunAsync(new PurgeRequest(CampaignId: _campaign))).Campaigns);
        Assert.Equal(PurgeOutcome.Blocked, blocked.Outcome);
        Assert.Contains($"campaign {_campaign}, set {Entries}, database {Db.EntriesDb}: 1 documents differ from their rows ({id}: ", blocked.Reason, StringComparison.Ordinal);
        Assert.Equal(2_500, await EntriesLeftAsync());

        await Db.EditDocumentAsync(Db.EntriesDb, id, "message", null, restore: true);
        var purged = Assert.Single((await Db.Purge().RunAsync(new PurgeRequest(CampaignId: _campaign, BatchSize: 500))).Campaigns);
        Assert.True(purged.Outcome == PurgeOutcome.Purged, purged.Reason);
        Assert.Equal((2_800L, 6), (purged.RowsDeleted, purged.Batches));
        Assert.Equal([$"{Entries} by contents", "vote_campaign_votes by revisions"], purged.VerifiedBy);
        Assert.Equal(0, await EntriesLeftAsync());
    }

    [Theory]
    [InlineData("purge-after-batch:2", 1_000)] // chunk 1, deleted whole as recorded, while chunk 2 is verified
    [InlineData("purge-after-batch:6", 250)] // mid chunk 1, batches cut from its rows as read
    public async Task A_purge_killed_while_it_verifies_ahead_then_run_again_deletes_exactly_every_row(string point, int batch)
    {
        var archive = await Db.ArchiveStateAsync();
        var settings = Db.CliEnvironment();
        settings["ARCHIVER_KILL_AT"] = point;
        var deleted = int.Parse(point.Split(':')[1], CultureInfo.InvariantCulture) * batch;
        string[] purge = ["purge", "--campaign", _campaign.ToString(CultureInfo.InvariantCulture), "--batch", batch.ToString(CultureInfo.InvariantCulture)];

        var killed = await CliRunner.RunAsync(purge, settings);

        Assert.True(killed.ExitCode == KilledExitCode, $"exit {killed.ExitCode}: {killed.Output}{killed.Error}");
        Assert.Equal(_keys.Skip(deleted).ToList(), await Db.EntryKeysAsync(_campaign));
        Assert.Equal((2_500L, (long)deleted, false), await JournalAsync());

        settings.Remove("ARCHIVER_KILL_AT");
        var rerun = await CliRunner.RunAsync(purge, settings);

        Assert.True(rerun.ExitCode == 0, $"exit {rerun.ExitCode}: {rerun.Output}{rerun.Error}");
        Assert.Contains($"purged campaign {_campaign} (Test campaign): {2_800 - deleted:N0} rows in ", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(0, await EntriesLeftAsync());
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM vote_campaign_votes WHERE campaign_id = @campaign", new { campaign = _campaign }));
        Assert.Equal((2_500L, 2_500L, true), await JournalAsync());
        Assert.Equal(archive, await Db.ArchiveStateAsync()); // never written
    }

    private Task<long> EntriesLeftAsync() =>
        Db.ScalarAsync<long>("SELECT COUNT(*) FROM contest_campaign_entries WHERE campaign_id = @campaign", new { campaign = _campaign });

    private async Task<(long Documents, long RowsDeleted, bool Finished)> JournalAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, long, bool)>(
            "SELECT documents, rows_deleted, finished_at IS NOT NULL FROM archiver_purge_sets WHERE campaign_id = @campaign AND set_table = @table", new { campaign = _campaign, table = Entries });
    }

    private async Task<List<(int Number, long First, long Last, long Rows, string Digest)>> ChunksAsync(string table)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(int, long, long, long, string)>(
            "SELECT chunk_no, first_key, last_key, row_count, revision_digest FROM archiver_archived_chunks WHERE campaign_id = @campaign AND set_table = @table ORDER BY chunk_no",
            new { campaign = _campaign, table })).AsList();
    }
}
