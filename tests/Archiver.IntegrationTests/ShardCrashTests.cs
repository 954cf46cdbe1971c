using Archiver.IntegrationTests.Infrastructure;

namespace Archiver.IntegrationTests;

/// <summary>
/// A real <c>archiver archive run</c> of a sharded campaign killed as abruptly as <c>kill -9</c> at
/// named points spread over its shards (inside a batch, after a batch, after a shard's rows, after its
/// verification, after its record), the campaign's final verification and its flag, then run again:
/// the campaign is never flagged before its archive is exact, and the re-run always ends exact.
/// </summary>
public sealed class ShardCrashTests : DatabaseTest
{
    private const int KilledExitCode = 137;
    private const string E = "shard:contest_campaign_entries#";
    private const string V = "shard:vote_campaign_votes#";

    private long _campaign;

    protected override async Task InitializeDatabasesAsync()
    {
        // 400 entries (shards #0-#3 of 100) and 150 votes (#0 of 100, #1 of 50), in batches of 40.
        _campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(_campaign, 400);
        await Db.AddVotesAsync(_campaign, 150);
    }

    [Theory]
    [InlineData(E + "0:in-batch:1", 1)]
    [InlineData(E + "0:after-batch:2", 1)]
    [InlineData(E + "0:after-rows", 1)]
    [InlineData(E + "0:after-verify", 1)]
    [InlineData(E + "0:after-record", 1)]
    [InlineData(E + "1:in-batch:3", 1)]
    [InlineData(E + "1:after-verify", 1)]
    [InlineData(E + "2:after-batch:1", 1)]
    [InlineData(E + "2:after-record", 1)]
    [InlineData(E + "3:in-batch:2", 1)]
    [InlineData(E + "3:after-rows", 1)]
    [InlineData(V + "0:after-batch:1", 1)]
    [InlineData(V + "0:after-record", 1)]
    [InlineData(V + "1:in-batch:1", 1)]
    [InlineData(V + "1:after-verify", 1)]
    [InlineData(E + "2:in-batch:2", 3)]
    [InlineData(E + "3:after-verify", 3)]
    [InlineData(V + "1:after-record", 3)]
    [InlineData("after-shards", 2)]
    [InlineData("after-rollups:contest_campaign_entries", 2)]
    [InlineData("after-rollups:vote_campaign_votes", 2)]
    [InlineData("after-verify", 2)]
    [InlineData("before-flag", 2)]
    [InlineData("after-flag", 2)]
    public async Task A_sharded_run_killed_at_a_checkpoint_then_run_again_ends_exact_and_flagged(string point, int parallel)
    {
        var settings = Db.CliEnvironment(batchSize: 40, maxConcurrentBatches: 1, shardRows: 100);
        settings["ARCHIVER_KILL_AT"] = point;
        string[] run = ["archive", "run", "--parallel", parallel.ToString(System.Globalization.CultureInfo.InvariantCulture)];

        var killed = await CliRunner.RunAsync(run, settings);

        var context = $"exit {killed.ExitCode}: {killed.Output}{killed.Error}";
        Assert.True(killed.ExitCode == KilledExitCode, context);
        Assert.Contains($"archiver: ARCHIVER_KILL_AT={point}: killing this process", killed.Error, StringComparison.Ordinal);
        Assert.Equal(point == "after-flag", await Db.IsArchivedAsync(_campaign));
        Assert.Equal(6, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_campaign_shards WHERE campaign_id = @campaign", new { campaign = _campaign }));
        var recorded = await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_campaign_shards WHERE campaign_id = @campaign AND digest IS NOT NULL", new { campaign = _campaign });
        if (point.EndsWith(":after-record", StringComparison.Ordinal) || !point.StartsWith("shard:", StringComparison.Ordinal))
        {
            Assert.True(recorded >= 1, $"no shard recorded verified at {point}");
        }

        settings.Remove("ARCHIVER_KILL_AT");
        var rerun = await CliRunner.RunAsync(["archive", "run", "--parallel", "2"], settings);

        Assert.True(rerun.ExitCode == 0, $"exit {rerun.ExitCode}: {rerun.Output}{rerun.Error}");
        Assert.True(await Db.IsArchivedAsync(_campaign));
        await ArchiveOracle.AssertExactAsync(Db, _campaign);
        Assert.Equal(6, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_campaign_shards WHERE campaign_id = @campaign AND digest IS NOT NULL", new { campaign = _campaign }));
        Assert.Contains(point == "after-flag" ? "campaigns   0 archived" : "campaigns   1 archived, 0 skipped, 0 failed", rerun.Output, StringComparison.Ordinal);
    }
}
