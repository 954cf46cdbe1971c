using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Archiver.CouchDb;
using Archiver.CouchDb.Replication;
using Archiver.Documents;
using Archiver.Engine;
using Archiver.IntegrationTests.Infrastructure;
using Archiver.MySql.Queries;
using Archiver.Queries;
using Xunit.Abstractions;

namespace Archiver.IntegrationTests.Replication;

/// <summary>
/// Break everything, lose nothing (issue 18): a central pouchdb-server and two replicas on loopback; a
/// loop SIGKILLs and restarts one server at a time while campaigns are archived into the central one,
/// replication runs, and readers walk pages, statistics and vote totals of every campaign a replica
/// holds complete (so at least one server holding it is always up). No read may fail, every answer
/// must equal MySQL's captured before archiving, and afterwards both replicas converge to exactly the
/// documents MySQL had. Runs <c>ARCHIVER_CHAOS_SECONDS</c> of chaos (30 s in the suite; bench/chaos.sh
/// runs 180 s) and prints its figures (reads, failovers, failed reads, p50/p99 latency).
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output) : DatabaseTest
{
    private const int EntriesPerCampaign = 120;
    private static readonly DateTime Since = new(2026, 11, 1);
    private static readonly DateTime Until = new(2026, 11, 4);

    [Fact]
    public async Task Reads_never_fail_and_replicas_converge_while_servers_are_killed_during_archiving()
    {
        var chaosFor = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("ARCHIVER_CHAOS_SECONDS") is { Length: > 0 } s ? int.Parse(s, CultureInfo.InvariantCulture) : 30);
        var contests = new List<long>();
        var campaigns = Math.Max(6, (int)(chaosFor.TotalSeconds / 4));
        for (var i = 0; i < campaigns; i++)
        {
            var campaign = await Db.AddCompletedCampaignAsync();
            await Db.AddEntriesAsync(campaign, EntriesPerCampaign + i);
            contests.Add(campaign);
        }

        var vote = await Db.AddCompletedCampaignAsync("vote");
        await Db.AddVotesAsync(vote, 150);

        // The answers, from MySQL, before anything is archived.
        var live = new MySqlCampaignStore(Db.DataSource, Microsoft.Extensions.Options.Options.Create(new QueryOptions()));
        var expected = new Dictionary<long, Answer>();
        foreach (var campaign in contests)
        {
            expected[campaign] = new Answer(
                (await live.ReadEntriesAsync(campaign, EntryFilter.All, EntrySeek.AtOffset(0), null, true, default)).Items,
                await live.StatisticsAsync(campaign, Granularity.Hour, Since, Until, default), null);
        }

        var votes = await live.VoteTotalsAsync(vote, default);

        await using var central = await PouchServer.StartAsync();
        await using var r1 = await PouchServer.StartAsync();
        await using var r2 = await PouchServer.StartAsync();
        PouchServer[] servers = [central, r1, r2];
        using var centralHttp = new HttpClient { BaseAddress = central.Url, Timeout = Timeout.InfiniteTimeSpan };
        var centralClient = new CouchDbClient(centralHttp, pipelines: TestDatabases.Pipelines(couch: central.Url));
        var engine = Db.Engine(wrapStore: _ => centralClient);

        // Before the chaos: the vote and the first two contests archived, the views deployed, both replicas caught up.
        Assert.True((await engine.RunAsync(new ArchiveRequest(vote))).Succeeded);
        foreach (var campaign in contests.Take(2))
        {
            Assert.True((await engine.RunAsync(new ArchiveRequest(campaign))).Succeeded);
        }

        await Db.DeployViewsAsync(centralClient);
        await using var host = new ReplicaHost(Db, central.Url, [("r1", r1.Url, "Continuous"), ("r2", r2.Url, "OneShot")], ["r1", "central"]);
        await host.SyncUntilCaughtUpAsync(TimeSpan.FromSeconds(120));
        var store = host.Store;

        using var stop = new CancellationTokenSource(chaosFor);
        var latencies = new ConcurrentBag<double>();
        var wrong = new ConcurrentQueue<string>();
        var failed = new ConcurrentQueue<string>();
        long kills = 0, archiveRetries = 0, readsMade = 0;

        async Task<bool> ReadableAsync(long campaign) =>
            await Db.ScalarAsync<long>("SELECT COUNT(*) FROM archiver_replica_campaigns WHERE campaign_id = @campaign", new { campaign }) > 0;

        async Task<T?> TimedAsync<T>(string what, Func<Task<T>> read)
            where T : class
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var result = await read();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref readsMade);
                return result;
            }
            catch (ArchiveUnavailableException ex)
            {
                failed.Enqueue($"{what}: {ex.Message}");
                return null;
            }
        }

        var killer = Task.Run(async () =>
        {
            var random = new Random(18);
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(random.Next(1_500, 3_500));
                var victim = servers[random.Next(servers.Length)];
                victim.Kill();
                Interlocked.Increment(ref kills);
                await Task.Delay(random.Next(500, 2_500));
                await victim.RestartAsync();
            }
        });

        var archiver = Task.Run(async () =>
        {
            foreach (var campaign in contests.Skip(2))
            {
                while (!(await engine.RunAsync(new ArchiveRequest(campaign))).Succeeded || !await Db.IsArchivedAsync(campaign))
                {
                    Interlocked.Increment(ref archiveRetries);
                    await Task.Delay(500);
                }

                if (stop.IsCancellationRequested)
                {
                    continue;
                }

                await Task.Delay(chaosFor / campaigns);
            }
        });

        var syncer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await host.Sync.SyncAsync();
                }
                catch (ArchiverException)
                {
                    // A server down mid-sync: the next pass picks up where this one stopped.
                }

                await Task.Delay(1_000);
            }
        });

        async Task ReadLoopAsync(int seed)
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                var campaign = random.Next(4) == 0 ? vote : contests[random.Next(contests.Count)];
                if (!await ReadableAsync(campaign))
                {
                    await Task.Delay(50);
                    continue;
                }

                if (campaign == vote)
                {
                    var totals = await TimedAsync("vote totals", () => store.VoteTotalsAsync(vote, default));
                    if (totals is not null && !totals.SequenceEqual(votes))
                    {
                        wrong.Enqueue($"vote totals of {vote}");
                    }

                    continue;
                }

                var want = expected[campaign];
                var statistics = await TimedAsync("statistics", () => store.StatisticsAsync(campaign, Granularity.Hour, Since, Until, default));
                if (statistics is not null && !statistics.SequenceEqual(want.Statistics))
                {
                    wrong.Enqueue($"statistics of {campaign}");
                }

                // A keyset walk, 25 a page, with the total on the first page.
                var walked = new List<ContestEntry>();
                long? after = null;
                while (true)
                {
                    var seek = after is { } a ? EntrySeek.After(a) : EntrySeek.AtOffset(0);
                    var slice = await TimedAsync("a page", async () => (object)await store.ReadEntriesAsync(campaign, EntryFilter.All, seek, 25, after is null, default));
                    if (slice is not EntrySlice page)
                    {
                        break;
                    }

                    if (after is null && page.Total != want.Entries.Count)
                    {
                        wrong.Enqueue($"total of {campaign}: {page.Total}");
                    }

                    walked.AddRange(page.Items);
                    if (page.Items.Count < 25)
                    {
                        if (!walked.SequenceEqual(want.Entries))
                        {
                            wrong.Enqueue($"walk of {campaign}: {walked.Count} entries");
                        }

                        break;
                    }

                    after = page.Items[^1].Id;
                }
            }
        }

        await Task.WhenAll(ReadLoopAsync(1), ReadLoopAsync(2), killer, syncer);
        await archiver;
        foreach (var server in servers)
        {
            await server.RestartAsync();
        }

        // Afterwards: both replicas converge, holding exactly what MySQL had, once each.
        var converged = Stopwatch.StartNew();
        var final = await host.SyncUntilCaughtUpAsync(TimeSpan.FromSeconds(180));
        var convergeSeconds = converged.Elapsed.TotalSeconds;
        Assert.All(final, s => Assert.Equal(0, s.LagCampaigns));
        foreach (var replica in new[] { r1, r2 })
        {
            using var http = new HttpClient { BaseAddress = replica.Url };
            var client = new CouchDbClient(http);
            foreach (var campaign in contests)
            {
                var (start, end) = DocumentIds.RowRange("contest_campaign_entries", campaign);
                var ids = new List<string>();
                await foreach (var document in client.ReadRangeAsync(Db.EntriesDb, start, end, includeDocs: false, pageSize: 1000))
                {
                    ids.Add(document.Id);
                }

                var want = expected[campaign].Entries.Select(e => DocumentIds.ForRow("contest_campaign_entries", campaign, e.Id)).ToList();
                Assert.Equal(want, ids);
            }

            var info = await client.GetDatabaseInfoAsync(Db.EntriesDb);
            Assert.Equal(expected.Values.Sum(a => a.Entries.Count), info!.DocCount - await DesignCountAsync(client, Db.EntriesDb));
        }

        var sorted = latencies.Order().ToList();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"chaos {chaosFor.TotalSeconds:F0} s: {readsMade} reads, {store.Statistics.Failovers} failovers, {failed.Count} failed reads, " +
            $"p50 {Percentile(sorted, 0.50):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms; {Interlocked.Read(ref kills)} kills, " +
            $"{campaigns - 2} campaigns archived during it ({archiveRetries} retried runs); replicas converged in {convergeSeconds:F1} s, 0 documents lost or duplicated");
        output.WriteLine(summary);
        var report = Path.Combine(Environment.GetEnvironmentVariable("ARCHIVER_LOCAL") ?? Repository.File(".local"), "chaos-summary.txt");
        await File.WriteAllTextAsync(report, summary + "\n");

        Assert.True(failed.IsEmpty, $"{failed.Count} reads failed: " + string.Join("\n", failed.Take(5)));
        Assert.True(wrong.IsEmpty, $"{wrong.Count} answers differ from MySQL: " + string.Join("\n", wrong.Take(5)));
        Assert.True(Interlocked.Read(ref kills) >= 3, summary);
        Assert.True(readsMade > 50, summary);
    }

    private static async Task<long> DesignCountAsync(CouchDbClient client, string database)
    {
        long count = 0;
        await foreach (var _ in client.ReadRangeAsync(database, "_design/", "_design0", includeDocs: false, pageSize: 100))
        {
            count++;
        }

        return count;
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private sealed record Answer(IReadOnlyList<ContestEntry> Entries, IReadOnlyList<StatisticsPoint> Statistics, IReadOnlyList<ChoiceVotes>? Votes);
}
