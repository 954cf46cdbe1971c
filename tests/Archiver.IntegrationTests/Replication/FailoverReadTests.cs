using Archiver.CouchDb.Queries;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.Queries;

namespace Archiver.IntegrationTests.Replication;

/// <summary>
/// Reads from replicas on real pouchdb-server instances: replicated through the central server's
/// <c>_replicator</c>, recorded complete, read local-first; a walk keeps its pages when the local
/// replica is SIGKILLed half-way, and when every replica is down the central server answers.
/// </summary>
public sealed class FailoverReadTests : DatabaseTest
{
    [Fact]
    public async Task A_walk_keeps_its_pages_when_the_local_replica_dies_half_way_and_lag_drops_to_zero()
    {
        var contest = await Db.AddCompletedCampaignAsync();
        var vote = await Db.AddCompletedCampaignAsync("vote");
        await Db.AddEntriesAsync(contest, 240);
        await Db.AddVotesAsync(vote, 90);
        Assert.True((await Db.Engine().RunAsync(new ArchiveRequest())).Succeeded);
        await Db.DeployViewsAsync();

        await using var local = await PouchServer.StartAsync();
        await using var peer = await PouchServer.StartAsync();
        await using var host = new ReplicaHost(Db, null, [("local", local.Url, "OneShot"), ("peer", peer.Url, "Continuous")], ["local", "central"]);

        var before = await host.Sync.StatusAsync();
        Assert.All(before, s => Assert.Equal(2, s.LagCampaigns));
        var caughtUp = await host.SyncUntilCaughtUpAsync(TimeSpan.FromSeconds(90));
        Assert.All(caughtUp, s => Assert.Equal(0, s.LagCampaigns));
        Assert.All(caughtUp, s => Assert.Contains(s.Databases, d => d.Database == Db.EntriesDb));
        Assert.Equal(2, await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_replica_campaigns WHERE replica = 'local'"));

        // The command shows the same: per replica and database, lag zero.
        var settings = Db.CliEnvironment();
        settings["Replicas__Servers__0__Name"] = "local";
        settings["Replicas__Servers__0__Url"] = local.Url.ToString();
        settings["Replicas__Servers__1__Name"] = "peer";
        settings["Replicas__Servers__1__Url"] = peer.Url.ToString();
        settings["Replicas__Servers__1__Mode"] = "Continuous";
        var cli = await CliRunner.RunAsync(["replicas", "status"], settings);
        Assert.True(cli.ExitCode == 0, cli.Output + cli.Error);
        Assert.Contains($"local ({local.Url}, oneshot): lag 0 campaign(s)", cli.Output, StringComparison.Ordinal);
        Assert.Contains($"peer ({peer.Url}, continuous): lag 0 campaign(s)", cli.Output, StringComparison.Ordinal);
        var json = await CliRunner.RunAsync(["replicas", "status", "--json"], settings);
        Assert.Contains($"\"database\": \"{Db.VotesDb}_rollups\"", json.Output, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"completed\"", json.Output, StringComparison.Ordinal);

        // Only archive documents, rollups and views went over: not the replication's own filter.
        using (var http = new HttpClient { BaseAddress = local.Url })
        {
            var all = await http.GetStringAsync($"{Db.EntriesDb}/_all_docs");
            Assert.DoesNotContain("archiver_replication", all, StringComparison.Ordinal);
            Assert.Contains("_design/entries", all, StringComparison.Ordinal);
        }

        var expected = (await Db.EntryKeysAsync(contest)).ToList();
        var central = new CouchCampaignStore(Db.Couch, Microsoft.Extensions.Options.Options.Create(Db.Options()), Microsoft.Extensions.Options.Options.Create(new QueryOptions()));
        var store = host.Store;
        var statistics = await central.StatisticsAsync(contest, Granularity.Hour, new DateTime(2026, 11, 1), new DateTime(2026, 11, 3), default);
        var votes = await central.VoteTotalsAsync(vote, default);

        var walked = new List<long>();
        long? after = null;
        var pages = 0;
        while (true)
        {
            if (pages == 4)
            {
                local.Kill();
            }

            var slice = await store.ReadEntriesAsync(contest, EntryFilter.All, after is { } a ? EntrySeek.After(a) : EntrySeek.AtOffset(0), 25, withTotal: true, default);
            Assert.Equal(expected.Count, slice.Total);
            if (slice.Items.Count == 0)
            {
                break;
            }

            walked.AddRange(slice.Items.Select(e => e.Id));
            after = slice.Items[^1].Id;
            pages++;
        }

        Assert.Equal(expected, walked);
        Assert.True(store.Statistics.Failovers >= 1, $"the local replica was killed mid-walk, yet no read failed over ({store.Statistics})");
        Assert.Equal(0, store.Statistics.FailedReads);
        Assert.Equal(statistics, await store.StatisticsAsync(contest, Granularity.Hour, new DateTime(2026, 11, 1), new DateTime(2026, 11, 3), default));
        Assert.Equal(votes, await store.VoteTotalsAsync(vote, default));

        // The peer down too: the central server answers alone; the local one back: reads return to it.
        peer.Kill();
        Assert.Equal(expected.Take(10), (await store.ReadEntriesAsync(contest, EntryFilter.All, EntrySeek.AtOffset(0), 10, withTotal: false, default)).Items.Select(e => e.Id));
        await local.RestartAsync();
        await Task.Delay(TimeSpan.FromSeconds(6));
        var offset = expected.Count - 3;
        Assert.Equal(expected.Skip(offset), (await store.ReadEntriesAsync(contest, EntryFilter.All, EntrySeek.AtOffset(offset), 10, withTotal: false, default)).Items.Select(e => e.Id));
        Assert.True(store.Endpoints.Single(e => e.Name == "local").Health.IsHealthy);
        Assert.Equal(0, store.Statistics.FailedReads);
    }
}
