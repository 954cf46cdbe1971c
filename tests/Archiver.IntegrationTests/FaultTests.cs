using System.Net;
using Archiver.CouchDb;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql;

namespace Archiver.IntegrationTests;

/// <summary>
/// The servers fail in the middle of a run: CouchDB through a fault-injecting handler in front of the
/// real pouchdb-server, MySQL by killing the archiver's connections while it waits on a query.
/// </summary>
public sealed class FaultTests : DatabaseTest
{
    private const int BatchSize = 300;
    private const int Entries = 1000;
    private const int Votes = 200;

    private static string Describe(FaultInjectingHandler handler) =>
        string.Join("\n", handler.Seen.Select(r => $"{r.Number} bulk#{r.BulkDocs} {r.Method} {r.Path} {r.Fault}"));

    private static CouchDbClient CouchThrough(HttpClient http) => new(http, pipelines: TestDatabases.Pipelines(couch: http.BaseAddress));

    private async Task<long> AddCampaignWithRowsAsync(TimeSpan? endedAgo = null)
    {
        var campaign = await Db.AddCampaignAsync(endedAgo ?? TimeSpan.FromDays(3));
        await Db.AddEntriesAsync(campaign, Entries);
        await Db.AddVotesAsync(campaign, Votes);
        return campaign;
    }

    [Fact]
    public async Task Refused_connections_are_retried_and_the_run_completes_exactly()
    {
        var campaign = await AddCampaignWithRowsAsync();
        using var handler = new FaultInjectingHandler
        {
            // Every third request is refused, so a request never fails twice in a row (the retry goes through).
            Decide = r => r.Number % 3 == 1 ? InjectedFault.ConnectionRefused : InjectedFault.None,
        };
        using var http = handler.CreateClient();
        var couch = CouchThrough(http);

        var result = await Db.Engine(BatchSize, wrapStore: _ => couch).RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(result.Campaigns);
        Assert.True(outcome.Outcome == CampaignOutcome.Archived, outcome.Reason + "\n" + Describe(handler));
        var refused = handler.Seen.Where(r => r.Fault == InjectedFault.ConnectionRefused).ToList();
        Assert.Contains(refused, r => r.BulkDocs > 0);
        Assert.Contains(refused, r => r.Path.Contains("/_all_docs", StringComparison.Ordinal));
        Assert.Contains(refused, r => r.Method == "GET" && !r.Path.Contains('/', StringComparison.Ordinal));

        // A refused request never reached the server: nothing to reconcile, every document created once.
        Assert.Equal(new BatchTotals(Entries + Votes, 0, 0, 0), outcome.Documents);
        Assert.Equal(0, outcome.Rollups.Conflicts);
        Assert.True(await Db.IsArchivedAsync(campaign));
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Theory]
    [InlineData(InjectedFault.ServerError)]
    [InlineData(InjectedFault.ServiceUnavailable)]
    public async Task Error_answers_to_a_bulk_write_are_retried_up_to_the_last_attempt(InjectedFault fault)
    {
        var campaign = await AddCampaignWithRowsAsync();

        // The second batch is answered with an error three times; the fourth and last attempt goes through.
        using var handler = new FaultInjectingHandler { Decide = r => r.BulkDocs is >= 2 and <= 4 ? fault : InjectedFault.None };
        using var http = handler.CreateClient();
        var couch = CouchThrough(http);

        var result = await Db.Engine(BatchSize, wrapStore: _ => couch).RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(result.Campaigns);
        Assert.True(outcome.Outcome == CampaignOutcome.Archived, outcome.Reason + "\n" + Describe(handler));
        Assert.Equal(3, handler.Injected);
        var bulk = handler.Seen.Where(r => r.BulkDocs is >= 2 and <= 5).Select(r => r.Path).Distinct().ToList();
        Assert.Equal([$"{Db.EntriesDb}/_bulk_docs"], bulk); // the same request each time
        Assert.Equal(5, outcome.Batches); // four of entries, one of votes: nothing counted twice
        Assert.Equal(new BatchTotals(Entries + Votes, 0, 0, 0), outcome.Documents);
        Assert.True(await Db.IsArchivedAsync(campaign));
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    /// <summary><paramref name="expected"/> with its created and unchanged documents split as <paramref name="actual"/> split them, when together they are as many.</summary>
    private static BatchTotals Settled(BatchTotals expected, BatchTotals actual) =>
        actual.Created + actual.Unchanged == expected.Created + expected.Unchanged
            ? expected with { Created = actual.Created, Unchanged = actual.Unchanged }
            : expected;

    [Theory]
    [InlineData(2)] // the second batch of entries
    [InlineData(5)] // the entries' rollups, written after their four batches
    public async Task An_answer_lost_after_the_server_applied_the_batch_ends_in_conflicts_resolved_by_comparison(int lostBulk)
    {
        var campaign = await AddCampaignWithRowsAsync();
        using var handler = new FaultInjectingHandler { Decide = r => r.BulkDocs == lostBulk ? InjectedFault.DropResponse : InjectedFault.None };
        using var http = handler.CreateClient();
        var couch = CouchThrough(http);

        var result = await Db.Engine(BatchSize, wrapStore: _ => couch).RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(result.Campaigns);
        Assert.True(outcome.Outcome == CampaignOutcome.Archived, outcome.Reason + "\n" + Describe(handler));
        Assert.Equal(1, handler.Injected);
        var entryMinutes = await Db.ScalarAsync<long>(
            "SELECT COUNT(DISTINCT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i')) FROM contest_campaign_entries WHERE campaign_id = @campaign", new { campaign });
        var voteMinutes = await Db.ScalarAsync<long>(
            "SELECT COUNT(DISTINCT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i')) FROM vote_campaign_votes WHERE campaign_id = @campaign", new { campaign });
        var documents = lostBulk == 2 ? new BatchTotals(Entries + Votes - BatchSize, 0, BatchSize, 0) : new BatchTotals(Entries + Votes, 0, 0, 0);
        var rollups = lostBulk == 2 ? new BatchTotals(entryMinutes + voteMinutes, 0, 0, 0) : new BatchTotals(voteMinutes, 0, entryMinutes, 0);
        if (Assert.Single(handler.LostStatuses) == HttpStatusCode.Accepted)
        {
            // A cluster applied the lost batch on fewer copies than its write quorum (202): copies
            // without a document accept it again at the same revision (a revision is a hash of the
            // content), so each document of the repeated batch is answered created or conflict
            // (then found identical), depending on how many copies had it by then. Same documents.
            documents = Settled(documents, lostBulk == 2 ? outcome.Documents : documents);
            rollups = Settled(rollups, lostBulk == 2 ? rollups : outcome.Rollups);
        }

        // Otherwise the repeated batch answers conflicts only; each stored document is read, found identical and counted as unchanged, not as a conflict.
        Assert.Equal(documents, outcome.Documents);
        Assert.Equal(rollups, outcome.Rollups);

        // No duplicate and no second revision: every document was written exactly once.
        foreach (var database in Db.ArchiveDatabases)
        {
            var info = (await Db.CouchInfoAsync(database))!;
            var stored = await Db.RangeAsync(database, "", "\ufff0");
            Assert.Equal(stored.Count, info.DocCount);
            Assert.Equal(0, info.DocDeleteCount);
            Assert.All(stored.Values, d => Assert.StartsWith("1-", d.Rev, StringComparison.Ordinal));
        }

        Assert.Equal(Entries, (await Db.CouchInfoAsync())!.DocCount);
        Assert.Equal(entryMinutes, (await Db.CouchInfoAsync(Db.EntryRollupsDb))!.DocCount);
        Assert.True(await Db.IsArchivedAsync(campaign));
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Fact]
    public async Task An_answer_that_never_comes_times_out_and_the_retry_finds_the_batch_applied()
    {
        var campaign = await AddCampaignWithRowsAsync();
        using var handler = new FaultInjectingHandler { Decide = r => r.BulkDocs == 3 ? InjectedFault.StallResponse : InjectedFault.None };
        using var http = handler.CreateClient();

        // The timeout bounds every request of the run, not only the stalled one: short enough to keep
        // the test quick, long enough that a loaded 3-node cluster answers the others (its verification
        // reads took over 1 s there); the stalled answer never comes, whatever the limit.
        var couch = new CouchDbClient(
            http, options: Microsoft.Extensions.Options.Options.Create(new CouchDbOptions { Timeout = TimeSpan.FromSeconds(5) }), pipelines: TestDatabases.Pipelines(couch: http.BaseAddress));

        var result = await Db.Engine(BatchSize, wrapStore: _ => couch).RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(result.Campaigns);
        Assert.True(outcome.Outcome == CampaignOutcome.Archived, outcome.Reason + "\n" + Describe(handler));
        Assert.Equal(1, handler.Injected);
        Assert.Equal(new BatchTotals(Entries + Votes - BatchSize, 0, BatchSize, 0), outcome.Documents);
        var stored = await Db.RangeAsync(Db.EntriesDb, "", "\ufff0");
        Assert.All(stored.Values, d => Assert.StartsWith("1-", d.Rev, StringComparison.Ordinal));
        Assert.True(await Db.IsArchivedAsync(campaign));
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Fact]
    public async Task A_fault_that_outlasts_the_retries_fails_the_campaign_naming_couchdb_and_the_path_and_the_run_goes_on()
    {
        var broken = await AddCampaignWithRowsAsync(TimeSpan.FromDays(4)); // selected first: oldest end
        var votesOnly = await Db.AddCampaignAsync(TimeSpan.FromDays(3), kind: "vote");
        await Db.AddVotesAsync(votesOnly, Votes);

        // Every write to the entries database fails, however often it is tried; the votes database works.
        using var handler = new FaultInjectingHandler
        {
            Decide = r => r.BulkDocs > 0 && r.Path.StartsWith(Db.EntriesDb + "/", StringComparison.Ordinal) ? InjectedFault.ServerError : InjectedFault.None,
        };
        using var http = handler.CreateClient();
        var couch = CouchThrough(http);

        var result = await Db.Engine(BatchSize, wrapStore: _ => couch).RunAsync(new ArchiveRequest());

        Assert.Equal([broken, votesOnly], result.Campaigns.Select(c => c.CampaignId));
        var failed = result.Campaigns[0];
        Assert.Equal(CampaignOutcome.Failed, failed.Outcome);
        Assert.Equal($"CouchDB POST /{Db.EntriesDb}/_bulk_docs failed: 500 unknown_error: injected failure", failed.Reason);
        // Both batches in flight (Archive:MaxConcurrentBatches 2) were tried exactly as often as the policy allows, then given up.
        Assert.Equal(2 * TestDatabases.FastRetries.MaxAttempts, handler.Injected);
        Assert.Equal((0, 0), (failed.Batches, failed.Documents.Written));
        Assert.Equal(CampaignOutcome.Archived, result.Campaigns[1].Outcome);
        Assert.Equal((1, 1, false, false), (result.Archived, result.Failed, result.Cancelled, result.Succeeded));
        Assert.Equal("all eligible campaigns processed", result.StopReason);

        Assert.False(await Db.IsArchivedAsync(broken));
        Assert.True(await Db.IsArchivedAsync(votesOnly));
        Assert.Equal(
            ("failed", failed.Reason),
            (await Db.ScalarAsync<string>("SELECT state FROM archiver_campaign_runs WHERE campaign_id = @broken", new { broken }),
             await Db.ScalarAsync<string>("SELECT last_error FROM archiver_campaign_runs WHERE campaign_id = @broken", new { broken })));
        var (start, end) = DocumentIds.RowRange("contest_campaign_entries", broken);
        Assert.Empty(await Db.RangeAsync(Db.EntriesDb, start, end));
        await ArchiveOracle.AssertExactAsync(Db, votesOnly);

        // The outage is over: the next run completes the campaign exactly.
        var rerun = await Db.Engine(BatchSize).RunAsync(new ArchiveRequest());

        var outcome = Assert.Single(rerun.Campaigns);
        Assert.Equal((broken, CampaignOutcome.Archived), (outcome.CampaignId, outcome.Outcome));
        Assert.True(await Db.IsArchivedAsync(broken));
        await ArchiveOracle.AssertExactAsync(Db, broken);
        await ArchiveOracle.AssertExactAsync(Db, votesOnly);
    }

    [Fact]
    public async Task CouchDB_down_during_the_first_campaign_of_a_first_run_fails_only_that_campaign()
    {
        var first = await AddCampaignWithRowsAsync(TimeSpan.FromDays(4));
        var second = await AddCampaignWithRowsAsync(TimeSpan.FromDays(3));

        // The server is down for the first campaign's attempts to reach (and create) its database, then back:
        // the next campaign must still create the database rather than write to one that does not exist.
        using var handler = new FaultInjectingHandler
        {
            Decide = r => r.Number <= TestDatabases.FastRetries.MaxAttempts ? InjectedFault.ConnectionRefused : InjectedFault.None,
        };
        using var http = handler.CreateClient();
        var couch = CouchThrough(http);

        var result = await Db.Engine(BatchSize, wrapStore: _ => couch).RunAsync(new ArchiveRequest());

        Assert.Equal([first, second], result.Campaigns.Select(c => c.CampaignId));
        Assert.Equal(CampaignOutcome.Failed, result.Campaigns[0].Outcome);
        Assert.Equal(
            $"CouchDB GET /{Db.EntriesDb} failed: unreachable: no complete answer from {TestServers.CouchDb}: Connection refused (injected)",
            result.Campaigns[0].Reason);
        Assert.True(result.Campaigns[1].Outcome == CampaignOutcome.Archived, result.Campaigns[1].Reason + "\n" + Describe(handler));
        Assert.False(await Db.IsArchivedAsync(first));
        await ArchiveOracle.AssertExactAsync(Db, second);
    }

    [Theory]
    [InlineData("after-batch:2", "contest_campaign_entries", "reading", 3 * BatchSize)] // the row stream, between two chunks (batch 3 is read while batch 2 is saved)
    [InlineData("after-batch:4", "vote_campaign_votes", "reading", 0)] // the second set's stream, at its start
    [InlineData("after-rollups:vote_campaign_votes", "contest_campaign_entries", "counting", 0)] // verification's first read
    public async Task MySQL_connections_killed_mid_query_are_retried_and_the_stream_resumes_after_the_last_key(string killAt, string table, string doing, int rowsBefore)
    {
        var campaign = await AddCampaignWithRowsAsync();
        var (engine, killer, log) = EngineThatKillsMySqlConnections(campaign, killAt, table, spareLockHolder: true);

        var result = await engine.RunAsync(new ArchiveRequest());
        await killer.Done;

        var outcome = Assert.Single(result.Campaigns);
        Assert.True(outcome.Outcome == CampaignOutcome.Archived, outcome.Reason + "\n" + string.Join("\n", log.Messages));
        Assert.Contains(killer.Killed, k => k.State == "Waiting for table metadata lock");
        Assert.DoesNotContain(killer.Killed, k => k.Id == killer.LockHolder);

        // Retried once; a stream reads again from the key after the last row it returned.
        var retried = Assert.Single(log.Messages);
        var what = doing == "counting" ? $"counting {table} of campaign {campaign}"
            : rowsBefore == 0 ? $"reading {table} of campaign {campaign} after id {long.MinValue}"
            : $"reading {table} of campaign {campaign} after id {(await Db.EntryKeysAsync(campaign))[rowsBefore - 1]}";
        Assert.StartsWith($"MySQL fault while {what}: ", retried, StringComparison.Ordinal);

        Assert.Equal(new BatchTotals(Entries + Votes, 0, 0, 0), outcome.Documents);
        Assert.True(await Db.IsArchivedAsync(campaign));
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    [Fact]
    public async Task A_killed_lock_connection_refuses_the_flag_and_a_later_run_completes()
    {
        var campaign = await AddCampaignWithRowsAsync();
        var lockName = CampaignLockName.For(Db.Name, campaign);
        var (engine, killer, log) = EngineThatKillsMySqlConnections(campaign, "after-batch:2", "contest_campaign_entries", spareLockHolder: false);

        var result = await engine.RunAsync(new ArchiveRequest());
        await killer.Done;

        // The copy went on (the stream resumed), but without its lock the campaign may be another archiver's now.
        Assert.Contains(killer.Killed, k => k.Id == killer.LockHolder);
        Assert.StartsWith(
            $"MySQL fault while reading contest_campaign_entries of campaign {campaign} after id {(await Db.EntryKeysAsync(campaign))[(3 * BatchSize) - 1]}: ",
            Assert.Single(log.Messages), StringComparison.Ordinal);
        var outcome = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Failed, outcome.Outcome);
        Assert.Equal($"lost the campaign's MySQL lock {lockName} (its connection dropped) before the flag; not flagged, run again", outcome.Reason);
        Assert.Contains("after-verify", killer.Points);
        Assert.DoesNotContain("after-flag", killer.Points);
        Assert.False(await Db.IsArchivedAsync(campaign));
        Assert.Equal("failed", await Db.ScalarAsync<string>("SELECT state FROM archiver_campaign_runs WHERE campaign_id = @campaign", new { campaign }));
        await ArchiveOracle.AssertExactAsync(Db, campaign); // everything was copied and verified, only the flag is missing

        var rerun = await Db.Engine(BatchSize).RunAsync(new ArchiveRequest());

        var again = Assert.Single(rerun.Campaigns);
        Assert.Equal(CampaignOutcome.Archived, again.Outcome);
        Assert.Equal(new BatchTotals(0, 0, Entries + Votes, 0), again.Documents);
        Assert.True(await Db.IsArchivedAsync(campaign));
        await ArchiveOracle.AssertExactAsync(Db, campaign);
    }

    private (ArchiveEngine Engine, MySqlConnectionKiller Killer, RecordingLogger<MySqlArchiveSource> Log) EngineThatKillsMySqlConnections(
        long campaign, string killAt, string table, bool spareLockHolder)
    {
        var log = new RecordingLogger<MySqlArchiveSource>();
        var killer = new MySqlConnectionKiller(Db, killAt, table, CampaignLockName.For(Db.Name, campaign), spareLockHolder);
        // One batch in flight: the kill must land on the row stream at a known key.
        return (Db.Engine(BatchSize, checkpoints: killer, options: Db.Options(BatchSize, maxConcurrentBatches: 1), sourceLogger: log), killer, log);
    }

    [Fact]
    public async Task With_CouchDB_down_the_run_stops_once_the_endpoints_circuit_opens_instead_of_failing_every_campaign()
    {
        var campaigns = new[] { await AddCampaignWithRowsAsync(), await AddCampaignWithRowsAsync(), await AddCampaignWithRowsAsync() };

        // The CLI's preflight would refuse a server that is down before the first campaign; the engine
        // meets one that goes down mid-run. Default breaker settings, short pauses.
        var dead = new Uri("http://127.0.0.1:1/");
        var options = new Archiver.Resilience.ResilienceOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };
        using var http = new HttpClient { BaseAddress = dead };
        var result = await Db.Engine(BatchSize, wrapStore: _ => new CouchDbClient(http, pipelines: TestDatabases.Pipelines(options, couch: dead))).RunAsync(new ArchiveRequest());

        var failed = Assert.Single(result.Campaigns);
        Assert.Equal(CampaignOutcome.Failed, failed.Outcome);
        Assert.Equal(RunStopReason.ServiceUnavailable, result.Stop);
        Assert.Contains("circuit breaker opened", result.StopReason, StringComparison.Ordinal);
        Assert.Equal(failed.Reason, result.StopReason);
        foreach (var campaign in campaigns)
        {
            Assert.False(await Db.IsArchivedAsync(campaign));
        }
    }
}
