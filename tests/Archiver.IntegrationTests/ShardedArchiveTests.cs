using System.Linq.Expressions;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.Hosting;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Archiver.IntegrationTests;

/// <summary>
/// Campaigns above <c>Archive:ShardRows</c>, split into key ranges copied and verified on their own,
/// then verified as a whole and flagged: the archive is the one an unsharded run makes, document for
/// document and rollup for rollup (minutes straddle the shards' boundaries: entries are a second
/// apart and votes run backwards in time), and a shard changed after its verification is caught.
/// </summary>
public sealed class ShardedArchiveTests : DatabaseTest
{
    private const string Entries = "contest_campaign_entries";
    private const string Votes = "vote_campaign_votes";

    [Fact]
    public async Task A_sharded_run_archives_exactly_what_an_unsharded_run_does()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 730);
        await Db.AddVotesAsync(campaign, 260);

        var unsharded = await Db.Engine(batchSize: 50).RunAsync(new ArchiveRequest(campaign));
        Assert.Equal(CampaignOutcome.Archived, Assert.Single(unsharded.Campaigns).Outcome);
        var expected = await ContentsAsync(campaign);
        var expectedRecord = await RecordAsync(campaign);
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_campaign_shards"));

        // The same campaign again from an empty archive, sharded: 100 rows a shard, three at a time.
        foreach (var database in Db.ArchiveDatabases)
        {
            await Db.Couch.DeleteDatabaseAsync(database);
        }

        await Db.ExecuteAsync("UPDATE campaigns SET archived = 0, archived_at = NULL; DELETE FROM archiver_archived_sets");
        var options = Db.Options(batchSize: 50);
        options.ShardRows = 100;
        var sharded = await Db.Engine(options: options).RunAsync(new ArchiveRequest(campaign) { Parallel = 3 });

        var result = Assert.Single(sharded.Campaigns);
        Assert.True(result.Outcome == CampaignOutcome.Archived, result.Reason);
        Assert.Equal(730 + 260, result.RowsRead);
        Assert.Equal(730 + 260, result.Documents.Created);
        Assert.Equal(expected, await ContentsAsync(campaign));
        Assert.Equal(expectedRecord.Checksums, (await RecordAsync(campaign)).Checksums);
        await ArchiveOracle.AssertExactAsync(Db, campaign);
        var shards = await Db.ScalarAsync<string>(
            "SELECT GROUP_CONCAT(CONCAT(set_table, '#', shard, '=', row_count) ORDER BY set_table, shard) FROM archiver_campaign_shards WHERE campaign_id = @campaign AND digest IS NOT NULL",
            new { campaign });
        Assert.Equal(
            "contest_campaign_entries#0=100,contest_campaign_entries#1=100,contest_campaign_entries#2=100,contest_campaign_entries#3=100,contest_campaign_entries#4=100,contest_campaign_entries#5=100,contest_campaign_entries#6=100,contest_campaign_entries#7=30,"
            + "vote_campaign_votes#0=100,vote_campaign_votes#1=100,vote_campaign_votes#2=60",
            shards);

        // The flagged campaign purges as any other: the flag recorded the same digests an unsharded run does.
        var purge = await Db.Purge().RunAsync(new Purge.PurgeRequest(CampaignId: campaign));
        Assert.True(purge.Purged == 1, string.Join("; ", purge.Campaigns.Select(c => c.Reason)));
    }

    [Fact]
    public async Task A_shard_changed_after_its_verification_is_reset_and_the_campaign_is_flagged_only_once_it_is_copied_again()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 450);
        await Db.AddVotesAsync(campaign, 120);
        var keys = await Db.EntryKeysAsync(campaign);
        var edited = keys[250];
        var options = Db.Options(batchSize: 50);
        options.ShardRows = 100;
        var edit = new Checkpoints
        {
            ["after-shards"] = () => Db.ExecuteAsync("UPDATE contest_campaign_entries SET message = 'edited after its shard was verified' WHERE id = @edited", new { edited }).GetAwaiter().GetResult(),
        };

        var first = Assert.Single((await Db.Engine(options: options, checkpoints: edit).RunAsync(new ArchiveRequest(campaign) { Parallel = 2 })).Campaigns);

        Assert.Equal(CampaignOutcome.Failed, first.Outcome);
        Assert.Contains($"shard {Entries}#2 (keys [{keys[200]}, {keys[300]})) is not what its verification recorded", first.Reason, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));
        Assert.Equal(
            $"{Entries}#2",
            await PendingShardsAsync(campaign));

        var second = Assert.Single((await Db.Engine(options: options).RunAsync(new ArchiveRequest(campaign))).Campaigns);

        Assert.True(second.Outcome == CampaignOutcome.Archived, second.Reason);
        Assert.Equal(100, second.RowsRead); // only the reset shard was copied again
        Assert.Equal(1, second.Documents.Updated);
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Fact]
    public async Task A_stray_document_in_a_verified_shard_stops_the_flag_and_is_removed_by_the_next_run()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 300);
        var keys = await Db.EntryKeysAsync(campaign);
        var options = Db.Options(batchSize: 50);
        options.ShardRows = 100;
        var moved = new Checkpoints
        {
            // A row moved to another campaign after its shard was verified: its document stays behind.
            ["after-shards"] = () => Db.ExecuteAsync("UPDATE contest_campaign_entries SET campaign_id = campaign_id + 1000 WHERE id = @id", new { id = keys[299] }).GetAwaiter().GetResult(),
        };

        var first = Assert.Single((await Db.Engine(options: options, checkpoints: moved).RunAsync(new ArchiveRequest(campaign))).Campaigns);

        Assert.Equal(CampaignOutcome.Failed, first.Outcome);
        Assert.Contains($"shard {Entries}#2 changed after it was verified (document {DocumentIds.ForRow(Entries, campaign, keys[299])} has no row)", first.Reason, StringComparison.Ordinal);
        Assert.False(await Db.IsArchivedAsync(campaign));
        Assert.Equal(
            $"{Entries}#2",
            await PendingShardsAsync(campaign));

        var second = Assert.Single((await Db.Engine(options: options).RunAsync(new ArchiveRequest(campaign))).Campaigns);

        Assert.True(second.Outcome == CampaignOutcome.Archived, second.Reason);
        Assert.Equal(1, second.Documents.Removed);
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Fact]
    public async Task Worker_jobs_share_a_campaign_shard_by_shard_and_the_last_shard_starts_the_final_step()
    {
        var campaign = await Db.AddCompletedCampaignAsync();
        await Db.AddEntriesAsync(campaign, 320);
        await Db.AddVotesAsync(campaign, 90);
        var settings = Db.CliEnvironment(batchSize: 50, shardRows: 100);
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Repository.File("appsettings.json"))
            .AddInMemoryCollection(settings.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value))
            .Build();
        var client = new RecordingJobClient();
        await using var services = new ServiceCollection().AddLogging().AddArchiver(configuration).AddArchiverJobs(configuration)
            .AddSingleton<IBackgroundJobClient>(client).BuildServiceProvider();
        try
        {
            var fanOut = await Run(services, (ArchiveJobs j) => j.ArchiveCampaignAsync(campaign, CancellationToken.None));
            Assert.Contains("split into 5 shards, 5 to copy: left to archive-shard jobs; 5 archive-shard job(s) enqueued on queue archive", fanOut, StringComparison.Ordinal);
            var shardJobs = client.Take();
            Assert.Equal(5, shardJobs.Count);
            Assert.All(shardJobs, j => Assert.Equal(nameof(ArchiveJobs.ArchiveShardAsync), j.Method.Name));
            Assert.False(await Db.IsArchivedAsync(campaign));

            // Out of order, as workers take them; the same shard delivered twice copies nothing more.
            var outcomes = new List<string>();
            foreach (var job in shardJobs.AsEnumerable().Reverse().Append(shardJobs[^1]))
            {
                outcomes.Add(await Invoke(services, job));
            }

            Assert.Contains("shard vote_campaign_votes#0 Verified: 90 rows", outcomes[0], StringComparison.Ordinal);
            Assert.Contains("every shard verified, archive-campaign enqueued for the final step", outcomes[4], StringComparison.Ordinal);
            Assert.Contains("AlreadyVerified: 0 rows;", outcomes[5], StringComparison.Ordinal);
            var finals = client.Take();
            Assert.Equal(2, finals.Count); // the last shard, and its second delivery
            Assert.All(finals, j => Assert.Equal(nameof(ArchiveJobs.ArchiveCampaignAsync), j.Method.Name));
            Assert.False(await Db.IsArchivedAsync(campaign));

            Assert.Contains(" archived: ", await Invoke(services, finals[0]), StringComparison.Ordinal);
            Assert.Contains(" skipped: already archived", await Invoke(services, finals[1]), StringComparison.Ordinal);
            await ArchiveOracle.AssertExactAsync(Db, campaign);
        }
        finally
        {
            // Composing the worker pointed Hangfire's process-wide log provider at this provider's logger factory.
            global::Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        }
    }

    private static Task<string> Run(IServiceProvider services, Expression<Func<ArchiveJobs, Task>> call) =>
        Invoke(services, Job.FromExpression(call));

    private static Task<string> Invoke(IServiceProvider services, Job job) =>
        (Task<string>)job.Method.Invoke(services.GetRequiredService<ArchiveJobs>(), job.Args.ToArray())!;

    /// <summary>Every live document of the campaign in the four databases, as its fields without <c>_rev</c>.</summary>
    private async Task<SortedDictionary<string, string>> ContentsAsync(long campaign)
    {
        var contents = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (database, (start, end)) in new[]
        {
            (Db.EntriesDb, DocumentIds.RowRange(Entries, campaign)),
            (Db.EntryRollupsDb, DocumentIds.RollupRange(Entries, campaign)),
            (Db.VotesDb, DocumentIds.RowRange(Votes, campaign)),
            (Db.VoteRollupsDb, DocumentIds.RollupRange(Votes, campaign)),
        })
        {
            foreach (var (id, document) in await Db.RangeAsync(database, start, end))
            {
                contents[id] = string.Join(",", document.Body!.Value.EnumerateObject().Where(p => p.Name != "_rev").Select(p => p.Name + ":" + p.Value.GetRawText()));
            }
        }

        Assert.NotEmpty(contents);
        return contents;
    }

    /// <summary>The shards whose verification is not recorded (reset, or never verified), as "table#n,…".</summary>
    private Task<string> PendingShardsAsync(long campaign) =>
        Db.ScalarAsync<string>("SELECT GROUP_CONCAT(CONCAT(set_table, '#', shard) ORDER BY set_table, shard) FROM archiver_campaign_shards WHERE campaign_id = @campaign AND digest IS NULL", new { campaign });

    private async Task<(string Checksums, long Rows)> RecordAsync(long campaign) => (
        await Db.ScalarAsync<string>("SELECT GROUP_CONCAT(CONCAT(set_table, '=', checksum) ORDER BY set_table) FROM archiver_archived_sets WHERE campaign_id = @campaign", new { campaign }),
        await Db.ScalarAsync<long>("SELECT SUM(row_count) FROM archiver_archived_sets WHERE campaign_id = @campaign", new { campaign }));

    /// <summary>Hangfire's client as the jobs use it, keeping what they enqueue for the test to run.</summary>
    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        private readonly List<Job> _jobs = [];

        public List<Job> Take()
        {
            var taken = _jobs.ToList();
            _jobs.Clear();
            return taken;
        }

        public string Create(Job job, IState state)
        {
            _jobs.Add(job);
            return _jobs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => false;
    }
}
