using System.Diagnostics;
using Hangfire;
using Hangfire.States;
using Xunit.Abstractions;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>
/// A bounded soak (about a minute): three storages, as three worker processes would have, each with a
/// real BackgroundJobServer of four workers, under a steady mix of immediate, scheduled and
/// mutually exclusive jobs, with the expiration manager and the counters aggregator running every
/// few seconds. Reports deadlocks (retried commits, and any that reached a job) and the database's
/// open connections over time.
/// </summary>
public sealed class StorageSoakTests(ITestOutputHelper output) : StorageTest
{
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Several_servers_under_load_run_every_job_once_without_unhandled_deadlocks_or_connection_growth()
    {
        var tag = Guid.NewGuid().ToString("N");
        var storages = Enumerable.Range(0, 3).Select(_ => CreateStorage(o =>
        {
            o.QueuePollInterval = TimeSpan.FromMilliseconds(200);
            o.InvisibilityTimeout = TimeSpan.FromSeconds(30);
            o.CountersAggregateInterval = TimeSpan.FromSeconds(3);
            o.JobExpirationCheckInterval = TimeSpan.FromSeconds(3);
        })).ToList();
        var servers = storages.Select((storage, i) => new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                ServerName = $"soak-{i}",
                WorkerCount = 4,
                Queues = ["archive", "default"],
                SchedulePollingInterval = TimeSpan.FromSeconds(1),
                HeartbeatInterval = TimeSpan.FromSeconds(5),
            },
            storage)).ToList();

        var connections = new List<long>();
        var expected = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var client = new BackgroundJobClient(storages[0]);
            var nextSample = TimeSpan.Zero;
            var n = 0;
            while (stopwatch.Elapsed < Load)
            {
                if (stopwatch.Elapsed >= nextSample)
                {
                    connections.Add(await OpenConnectionsAsync());
                    nextSample += TimeSpan.FromSeconds(5);
                }

                var id = $"{tag}:{n}";
                switch (n % 4)
                {
                    case 0:
                        client.Create(() => SampleJobs.Record(id), new EnqueuedState("archive"));
                        break;
                    case 1:
                        client.Schedule(() => SampleJobs.Record(id), TimeSpan.FromSeconds(1));
                        break;
                    case 2:
                        client.Create(() => SampleJobs.Exclusive(id), new EnqueuedState("default"));
                        break;
                    default:
                        var parent = client.Create(() => SampleJobs.Echo(id), new EnqueuedState("default"));
                        client.ContinueJobWith(parent, () => SampleJobs.Record(id));
                        break;
                }

                expected.Add(id);
                n++;
                await Task.Delay(20);
            }

            // Drain: every job has run once.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (expected.Any(id => !SampleJobs.Runs.ContainsKey(id)) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            connections.Add(await OpenConnectionsAsync());
        }
        finally
        {
            foreach (var server in servers)
            {
                server.SendStop();
            }

            foreach (var server in servers)
            {
                server.Dispose();
            }
        }

        // Every pooled connection closes with its storage: none was leaked by a lock, a fetch or a transaction.
        foreach (var storage in storages)
        {
            storage.Dispose();
        }

        await Task.Delay(500);
        var afterDispose = await OpenConnectionsAsync();

        var missing = expected.Count(id => !SampleJobs.Runs.ContainsKey(id));
        var twice = expected.Count(id => SampleJobs.Runs.TryGetValue(id, out var runs) && runs.Count > 1);
        var failed = await ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_job WHERE StateName = 'Failed'");
        var deadlocksInJobs = await ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_state WHERE Data LIKE '%Deadlock found%'");
        var deadlockSample = (await QueryAsync<string>("SELECT CONCAT(Name, ': ', LEFT(Data, 1500)) FROM hangfire_state WHERE Data LIKE '%Deadlock found%' LIMIT 1")).FirstOrDefault();
        var retried = StorageLog.Entries.Count(e => e.Id.Id == 6001 && e.Message.Contains("deadlock", StringComparison.Ordinal));
        var lockWaits = StorageLog.Entries.Count(e => e.Id.Id == 6001 && e.Message.Contains("lock wait", StringComparison.Ordinal));
        var leasesLost = StorageLog.Count(6002);
        var overlap = expected.Where((_, i) => i % 4 == 2).Max(id => SampleJobs.MaxInside.GetValueOrDefault(id));
        var report =
            $"soak: {expected.Count} jobs in {Load.TotalSeconds:F0} s on 3 servers x 4 workers; missing {missing}, run twice {twice}, failed {failed}; " +
            $"deadlocks retried in commits {retried}, lock wait timeouts retried {lockWaits}, deadlocks reaching a job {deadlocksInJobs}; leases lost {leasesLost}; " +
            $"open connections sampled every 5 s: {string.Join(" ", connections)}, after the storages closed: {afterDispose}";
        output.WriteLine(report);
        Console.WriteLine(report);

        Assert.Equal(0, missing);
        Assert.Equal(0, twice);
        Assert.Equal(0, failed);
        Assert.True(deadlocksInJobs == 0, $"{report}\n{deadlockSample}");
        Assert.Equal(0, leasesLost);
        Assert.Equal(1, overlap);

        // No growth: the pools level off (the last third stays within a few connections of the first two
        // thirds' peak, which a burst of concurrent fetches can raise by one or two), and closing the
        // storages brings the count back to where it started.
        var split = Math.Max(1, connections.Count * 2 / 3);
        Assert.True(connections.Skip(split).Max() <= connections.Take(split).Max() + 5, report);
        Assert.True(afterDispose <= connections[0], report);
    }

    private async Task<long> OpenConnectionsAsync() =>
        await ScalarAsync<long>("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE()");
}
