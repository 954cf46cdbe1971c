using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Dapper;

namespace Archiver.IntegrationTests;

/// <summary>
/// The real <c>archiver purge</c> process: killed at checkpoints and run again, stopped by
/// <c>--max-runtime</c> and run again, and a dry run that must leave both databases as they were;
/// and <c>archive run</c> purging afterwards when <c>Archive:PurgeAfter</c> is set.
/// </summary>
public sealed class PurgeCliTests : DatabaseTest
{
    private const int KilledExitCode = 137;

    private long _first;
    private long _second;

    protected override async Task InitializeDatabasesAsync()
    {
        // 900 entries and 300 votes in batches of 200: entry batches 1-5, vote batches 6-7.
        _first = await Db.AddCompletedCampaignAsync();
        _second = await Db.AddCompletedCampaignAsync(kind: "vote");
        await Db.AddEntriesAsync(_first, 900);
        await Db.AddVotesAsync(_first, 300);
        await Db.AddEntriesAsync(_second, 40);
        await Db.AddVotesAsync(_second, 60);
        var archived = await Db.Engine().RunAsync(new ArchiveRequest());
        Assert.Equal(2, archived.Archived);

        // The second campaign was archived later: a purge takes the first one first.
        await Db.ExecuteAsync("UPDATE campaigns SET archived_at = archived_at - INTERVAL 1 HOUR WHERE id = @first", new { first = _first });
    }

    [Theory]
    [InlineData("purge-after-start:contest_campaign_entries", 0, 0)]
    [InlineData("purge-after-batch:2", 400, 0)]
    [InlineData("purge-after-batch:6", 900, 200)]
    public async Task A_purge_killed_mid_way_then_run_again_deletes_exactly_every_row(string point, int entriesDeleted, int votesDeleted)
    {
        var archive = await SequencesAsync();
        var settings = Db.CliEnvironment();
        settings["ARCHIVER_KILL_AT"] = point;

        var killed = await CliRunner.RunAsync(["purge", "--batch", "200"], settings);

        Assert.True(killed.ExitCode == KilledExitCode, $"exit {killed.ExitCode}: {killed.Output}{killed.Error}");
        Assert.Contains($"archiver: ARCHIVER_KILL_AT={point}: killing this process", killed.Error, StringComparison.Ordinal);
        Assert.Equal((900 - entriesDeleted, 300 - votesDeleted), await RowsAsync(_first));
        Assert.Equal((40, 60), await RowsAsync(_second));
        Assert.Equal(entriesDeleted, await JournalDeletedAsync(_first, "contest_campaign_entries"));

        settings.Remove("ARCHIVER_KILL_AT");
        var rerun = await CliRunner.RunAsync(["purge", "--batch", "200"], settings);

        Assert.True(rerun.ExitCode == 0, $"exit {rerun.ExitCode}: {rerun.Output}{rerun.Error}");
        Assert.Contains($"purged campaign {_first} (Test campaign): {1_200 - entriesDeleted - votesDeleted:N0} rows in ", rerun.Output, StringComparison.Ordinal);
        Assert.Contains("campaigns   2 purged, 0 skipped, 0 blocked (verification failed), 0 failed, 0 stopped", rerun.Output, StringComparison.Ordinal);
        Assert.Matches(@"rate        [\d,]+ rows/s deleting, [\d,]+ rows/s overall", rerun.Output);
        Assert.Equal((0, 0), await RowsAsync(_first));
        Assert.Equal((0, 0), await RowsAsync(_second));
        Assert.Equal((900, 300), (await JournalDeletedAsync(_first, "contest_campaign_entries"), await JournalDeletedAsync(_first, "vote_campaign_votes")));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_purge_sets WHERE finished_at IS NULL"));
        Assert.Equal(archive, await SequencesAsync()); // the archive was never written
        Assert.Equal(1_300, (await Db.CouchInfoAsync(Db.EntriesDb))!.DocCount - await RollupsAsync(Db.EntriesDb) + (await Db.CouchInfoAsync(Db.VotesDb))!.DocCount - await RollupsAsync(Db.VotesDb));
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_to_either_database()
    {
        // As on a server that has never purged: the dry run must not even create the journal's table.
        await Db.ExecuteAsync("DROP TABLE archiver_purge_sets");
        var before = await SnapshotAsync();

        var result = await CliRunner.RunAsync(["purge", "--dry-run", "--batch", "500"], Db.CliEnvironment());

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        Assert.Contains($"dry run: campaign {_first} (Test campaign): would verify against the archive, then delete 900 contest_campaign_entries rows in 2 batches, 300 vote_campaign_votes rows in 1 batches (batches of up to 500)", result.Output, StringComparison.Ordinal);
        Assert.Contains($"dry run: campaign {_second} (Test campaign): would verify against the archive, then delete 40 contest_campaign_entries rows in 1 batches, 60 vote_campaign_votes rows in 1 batches", result.Output, StringComparison.Ordinal);
        Assert.Contains("Purge dry run (nothing written)", result.Output, StringComparison.Ordinal);
        Assert.Contains("rows        1,300 would be verified and deleted in 5 batches", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Max_runtime_stops_between_batches_and_a_rerun_completes()
    {
        // Eighteen batches of 50 with a fifth of the limit between them (3.4 limits of pauses) cannot
        // finish within the limit. The limit counts from the engine's start (describing the sets,
        // selecting and verifying the campaign), which took 9 to 28 s on a machine under a load of 90
        // against a 3-node cluster, so a run may stop before its first batch, deleting nothing: then the
        // same stop is tried with a longer limit, until one stops between batches.
        var settings = Db.CliEnvironment();
        CliRunner.Result stopped;
        long entries, votes, deleted;
        var attempts = new[] { 10, 30, 90 };
        var attempt = 0;
        do
        {
            var limit = attempts[attempt++];
            stopped = await CliRunner.RunAsync(["purge", "--campaign", _first.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch", "50", "--sleep", (limit * 200).ToString(System.Globalization.CultureInfo.InvariantCulture), "--max-runtime", $"{limit}s"], settings);

            Assert.True(stopped.ExitCode == 3, $"exit {stopped.ExitCode}: {stopped.Output}{stopped.Error}");
            Assert.Contains("stopped     maximum run time reached; run again to continue", stopped.Output, StringComparison.Ordinal);
            (entries, votes) = await RowsAsync(_first);
            deleted = 900 - entries;
        }
        while (deleted == 0 && attempt < attempts.Length);

        Assert.Contains($"STOPPED campaign {_first} (Test campaign): stopped at the maximum run time ({TimeSpan.FromSeconds(attempts[attempt - 1]):c}) after ", stopped.Output, StringComparison.Ordinal);
        Assert.True(deleted is > 0 and < 900 && deleted % 50 == 0 && votes == 300, $"{deleted} entries and {300 - votes} votes deleted: {stopped.Output}");
        Assert.Equal(deleted, await JournalDeletedAsync(_first, "contest_campaign_entries"));

        var rerun = await CliRunner.RunAsync(["purge", "--campaign", _first.ToString(System.Globalization.CultureInfo.InvariantCulture)], settings);

        Assert.True(rerun.ExitCode == 0, $"exit {rerun.ExitCode}: {rerun.Output}{rerun.Error}");
        Assert.Equal((0, 0), await RowsAsync(_first));
        Assert.Equal((40, 60), await RowsAsync(_second));
        Assert.Equal(900, await JournalDeletedAsync(_first, "contest_campaign_entries"));
    }

    [Fact]
    public async Task Archive_run_purges_afterwards_only_when_Archive_PurgeAfter_is_set_and_only_campaigns_archived_that_long_ago()
    {
        var third = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(third, 20);
        var settings = Db.CliEnvironment();

        var archiveOnly = await CliRunner.RunAsync(["archive", "run"], settings);

        Assert.True(archiveOnly.ExitCode == 0, $"exit {archiveOnly.ExitCode}: {archiveOnly.Output}{archiveOnly.Error}");
        Assert.Contains("campaigns   1 archived, 0 skipped, 0 failed", archiveOnly.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Purge summary", archiveOnly.Output, StringComparison.Ordinal);
        Assert.Equal((900, 300), await RowsAsync(_first));
        Assert.Equal((20, 0), await RowsAsync(third));

        // Only the first campaign was archived more than half an hour ago.
        settings["Archive__PurgeAfter"] = "00:30:00";
        var withPurge = await CliRunner.RunAsync(["archive", "run"], settings);

        Assert.True(withPurge.ExitCode == 0, $"exit {withPurge.ExitCode}: {withPurge.Output}{withPurge.Error}");
        Assert.Contains("Archive:PurgeAfter is 00:30:00: purging campaigns archived at least that long ago", withPurge.Output, StringComparison.Ordinal);
        Assert.Contains($"purged campaign {_first} (Test campaign): 1,200 rows in ", withPurge.Output, StringComparison.Ordinal);
        Assert.Contains("campaigns   1 purged, 0 skipped, 0 blocked (verification failed), 0 failed, 0 stopped", withPurge.Output, StringComparison.Ordinal);
        Assert.Equal((0, 0), await RowsAsync(_first));
        Assert.Equal((40, 60), await RowsAsync(_second));
        Assert.Equal((20, 0), await RowsAsync(third));

        // With --campaign, a campaign archived too recently is skipped by the purge step, not an error.
        var one = await CliRunner.RunAsync(["archive", "run", "--campaign", third.ToString(System.Globalization.CultureInfo.InvariantCulture)], settings);

        Assert.True(one.ExitCode == 0, $"exit {one.ExitCode}: {one.Output}{one.Error}");
        Assert.Contains($"skipped campaign {third} (Test campaign): not eligible: archived at ", one.Output, StringComparison.Ordinal);
        Assert.Equal((20, 0), await RowsAsync(third));
    }

    [Fact]
    public async Task Archive_run_with_PurgeAfter_and_dry_run_writes_nothing_to_either_database()
    {
        var third = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(third, 20);
        var before = await SnapshotAsync();
        var settings = Db.CliEnvironment();
        settings["Archive__PurgeAfter"] = "00:00:00";

        var result = await CliRunner.RunAsync(["archive", "run", "--dry-run"], settings);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        Assert.Contains("Archive dry run (nothing written)", result.Output, StringComparison.Ordinal);
        Assert.Contains("Purge dry run (nothing written)", result.Output, StringComparison.Ordinal);
        Assert.Contains($"dry run: campaign {_first} (Test campaign): would verify against the archive, then delete 900 contest_campaign_entries rows", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task<(long Entries, long Votes)> RowsAsync(long campaign) => (
        await Db.ScalarAsync<long>("SELECT COUNT(*) FROM contest_campaign_entries WHERE campaign_id = @campaign", new { campaign }),
        await Db.ScalarAsync<long>("SELECT COUNT(*) FROM vote_campaign_votes WHERE campaign_id = @campaign", new { campaign }));

    private async Task<long> JournalDeletedAsync(long campaign, string table) =>
        await Db.ScalarAsync<long?>("SELECT rows_deleted FROM archiver_purge_sets WHERE campaign_id = @campaign AND set_table = @table", new { campaign, table }) ?? 0;

    private Task<string> SequencesAsync() => Db.ArchiveStateAsync();

    private async Task<long> RollupsAsync(string database)
    {
        long count = 0;
        await foreach (var unused in Db.Couch.ReadRangeAsync(database, "rollup:", "rollup;", includeDocs: false, pageSize: 1000))
        {
            count++;
        }

        return count;
    }

    /// <summary>Every MySQL table with its row count and checksum, the campaigns' flags, and both CouchDB databases' counts and sequences.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")).AsList();
        var parts = new List<string>();
        foreach (var table in tables)
        {
            var checksum = await connection.QuerySingleAsync<(string Table, long? Checksum)>($"CHECKSUM TABLE `{table}`");
            parts.Add($"{table}: {await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM `{table}`")} rows, checksum {checksum.Checksum}");
        }

        parts.Add(await Db.ArchiveStateAsync());

        return string.Join("\n", parts);
    }
}
