using System.Diagnostics;
using Archiver.Hangfire.MySql.Internal;
using Hangfire;
using Hangfire.Storage;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>The storage's background processes (expiration, counter aggregation) and scheduled jobs on a real server.</summary>
public sealed class StorageProcessTests : StorageTest
{
    [Fact]
    public async Task Expiration_deletes_exactly_the_expired_rows_in_batches()
    {
        var storage = CreateStorage(o => o.BatchSize = 10);
        using var connection = (JobStorageConnection)storage.GetConnection();
        var expiredJob = Enqueue(connection);
        var liveJob = Enqueue(connection);
        connection.SetJobParameter(expiredJob, "p", "v");
        await Db.ExecuteAsync("UPDATE hangfire_job SET ExpireAt = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE Id = @expiredJob", new { expiredJob });
        await Db.ExecuteAsync("UPDATE hangfire_job SET ExpireAt = UTC_TIMESTAMP(6) + INTERVAL 1 HOUR WHERE Id = @liveJob", new { liveJob });
        for (var i = 0; i < 35; i++)
        {
            await Db.ExecuteAsync("INSERT INTO hangfire_set (`Key`, Value, Score, ExpireAt) VALUES ('gone', @i, 0, UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE)", new { i });
            await Db.ExecuteAsync("INSERT INTO hangfire_list (`Key`, Value, ExpireAt) VALUES ('gone', @i, UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE)", new { i });
        }

        await Db.ExecuteAsync("INSERT INTO hangfire_set (`Key`, Value, Score, ExpireAt) VALUES ('kept', 'a', 0, UTC_TIMESTAMP(6) + INTERVAL 1 HOUR), ('kept', 'b', 0, NULL)");
        await Db.ExecuteAsync("INSERT INTO hangfire_hash (`Key`, Field, Value, ExpireAt) VALUES ('gone', 'f', 'v', UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE), ('kept', 'f', 'v', NULL)");
        await Db.ExecuteAsync("INSERT INTO hangfire_aggregatedcounter (`Key`, Value, ExpireAt) VALUES ('gone', 1, UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE), ('kept', 1, NULL)");

        Assert.Equal(1 + 35 + 35 + 1 + 1, new ExpirationManager(storage).RunOnce(CancellationToken.None));

        Assert.Null(connection.GetJobData(expiredJob));
        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_jobparameter WHERE JobId = @expiredJob", new { expiredJob }));
        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_state WHERE JobId = @expiredJob", new { expiredJob }));
        Assert.NotNull(connection.GetJobData(liveJob));
        Assert.Equal(["a", "b"], connection.GetAllItemsFromSet("kept").Order());
        Assert.Empty(connection.GetAllItemsFromSet("gone"));
        Assert.Equal(0, connection.GetListCount("gone"));
        Assert.Null(connection.GetAllEntriesFromHash("gone"));
        Assert.NotNull(connection.GetAllEntriesFromHash("kept"));
        Assert.Equal(1, connection.GetCounter("kept"));
        Assert.Equal(0, connection.GetCounter("gone"));
    }

    [Fact]
    public void Expiration_skips_its_round_while_another_server_holds_its_lock()
    {
        var storage = CreateStorage();
        using var other = storage.GetConnection();
        using (other.AcquireDistributedLock(ExpirationManager.LockResource, TimeSpan.Zero))
        {
            Assert.Null(new ExpirationManager(storage).RunOnce(CancellationToken.None));
        }

        Assert.Equal(0, new ExpirationManager(storage).RunOnce(CancellationToken.None));
        Assert.Equal(1, StorageLog.Count(6005));
    }

    [Fact]
    public async Task Aggregation_and_expiration_keep_counter_totals_exact_under_concurrent_increments()
    {
        var storage = CreateStorage(o => o.BatchSize = 50);
        var aggregator = new CountersAggregator(storage);
        var expiration = new ExpirationManager(storage);
        var increments = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() =>
        {
            using var connection = storage.GetConnection();
            while (!stop.IsCancellationRequested)
            {
                using var transaction = connection.CreateWriteTransaction();
                transaction.IncrementCounter("stats:succeeded");
                transaction.IncrementCounter($"stats:succeeded:{w}", TimeSpan.FromDays(1));
                transaction.DecrementCounter("stats:balance");
                transaction.IncrementCounter("stats:balance");
                transaction.IncrementCounter("stats:balance");
                transaction.Commit();
                Interlocked.Increment(ref increments);
            }
        })).ToList();

        var folded = 0;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var reader = (JobStorageConnection)storage.GetConnection();
            while (stopwatch.Elapsed < TimeSpan.FromSeconds(6))
            {
                var before = Volatile.Read(ref increments);
                folded += aggregator.RunOnce(CancellationToken.None);
                expiration.RunOnce(CancellationToken.None);

                // Never less than was committed before the read began, never more than could have committed
                // by its end (each writer may have committed one it has not counted yet).
                var seen = reader.GetCounter("stats:succeeded");
                Assert.InRange(seen, before, Volatile.Read(ref increments) + 3);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        folded += aggregator.RunOnce(CancellationToken.None);

        using var check = (JobStorageConnection)storage.GetConnection();
        Assert.True(folded > 0);
        Assert.Equal(increments, check.GetCounter("stats:succeeded"));
        Assert.Equal(increments, check.GetCounter("stats:balance"));
        Assert.Equal(increments, Enumerable.Range(0, 3).Sum(w => check.GetCounter($"stats:succeeded:{w}")));
        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_counter"));
        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_aggregatedcounter WHERE `Key` = 'stats:succeeded' AND ExpireAt IS NOT NULL"));
        Assert.Equal(3, await ScalarAsync<long>("SELECT COUNT(*) FROM hangfire_aggregatedcounter WHERE `Key` LIKE 'stats:succeeded:%' AND ExpireAt > UTC_TIMESTAMP(6) + INTERVAL 23 HOUR"));
    }

    [Fact]
    public async Task Scheduled_jobs_fire_within_one_poll_interval_of_their_time()
    {
        var storage = CreateStorage(o => o.QueuePollInterval = TimeSpan.FromMilliseconds(200));
        var tag = Guid.NewGuid().ToString("N");
        var client = new BackgroundJobClient(storage);
        var due = new List<DateTime>();
        for (var i = 0; i < 3; i++)
        {
            var at = DateTime.UtcNow.AddSeconds(3 + i);
            due.Add(at);
            client.Schedule(() => SampleJobs.Record(tag + i), new DateTimeOffset(at));
        }

        var poll = TimeSpan.FromSeconds(1);
        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 2, SchedulePollingInterval = poll, ServerCheckInterval = TimeSpan.FromSeconds(5) }, storage))
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (Enumerable.Range(0, 3).Any(i => !SampleJobs.Runs.ContainsKey(tag + i)) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.True(SampleJobs.Runs.TryGetValue(tag + i, out var runs), $"scheduled job {i} never ran");
            var ran = Assert.Single(runs);

            // Hangfire scores a schedule in whole Unix seconds, so a job may start up to a second before
            // its fractional due time; late by at most the scheduler's poll plus the queue's wake-up and the run.
            // (A FLOAT score, the old package's defect, would be off by up to 128 s.)
            Assert.InRange(ran - due[i], TimeSpan.FromSeconds(-1), poll + TimeSpan.FromSeconds(1));
        }
    }
}
