using System.Collections.Concurrent;
using Archiver.Hangfire.MySql.Internal;
using Dapper;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>Conformance of the queue (design notes, "Dequeue"): sliding invisibility, fetch tokens, keep-alive.</summary>
public sealed class StorageQueueTests : StorageTest
{
    [Fact]
    public void Fetch_takes_only_the_requested_queues_oldest_first()
    {
        var storage = CreateStorage();
        using var connection = storage.GetConnection();
        var other = Enqueue(connection, "other");
        var first = Enqueue(connection, "archive");
        var second = Enqueue(connection, "default");

        using var a = connection.FetchNextJob(["archive", "default"], CancellationToken.None);
        using var b = connection.FetchNextJob(["archive", "default"], CancellationToken.None);
        Assert.Equal([first, second], new[] { a.JobId, b.JobId });
        Assert.Equal("archive", ((MySqlFetchedJob)a).Queue);

        // Nothing left in these queues: the fetch waits until cancelled and leaves "other" alone.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));
        Assert.ThrowsAny<OperationCanceledException>(() => connection.FetchNextJob(["archive", "default"], cancel.Token));
        a.RemoveFromQueue();
        b.RemoveFromQueue();
        Assert.Equal(1, storage.GetMonitoringApi().EnqueuedCount("other"));
        Assert.Equal(other, connection.FetchNextJob(["other"], CancellationToken.None).JobId);
    }

    [Fact]
    public void A_fetched_job_that_is_not_kept_alive_is_delivered_again_after_the_invisibility_timeout()
    {
        var storage = CreateStorage(o => o.InvisibilityTimeout = TimeSpan.FromSeconds(2));
        using var connection = storage.GetConnection();
        var id = Enqueue(connection);
        var stale = (MySqlFetchedJob)connection.FetchNextJob(["default"], CancellationToken.None);

        // Its worker died: nobody renews the lease.
        storage.FetchedJobs.Remove(stale);
        Assert.Null(((MySqlStorageConnection)connection).TryFetch(["default"]));
        Assert.Equal(1, storage.GetMonitoringApi().FetchedCount("default"));
        var started = DateTime.UtcNow;
        using var again = connection.FetchNextJob(["default"], CancellationToken.None);
        Assert.Equal(id, again.JobId);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
        Assert.NotEqual(stale.Token, ((MySqlFetchedJob)again).Token);

        // The stale worker's late acknowledgement or requeue matches no row: the new delivery stays.
        stale.RemoveFromQueue();
        stale.Requeue();
        Assert.Equal(1, storage.Use(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM hangfire_jobqueue WHERE FetchToken = @Token", (MySqlFetchedJob)again)));
        again.RemoveFromQueue();
        Assert.Equal(0, storage.Use(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM hangfire_jobqueue")));
    }

    [Fact]
    public void The_keep_alive_stops_a_running_job_from_being_fetched_again()
    {
        var storage = CreateStorage(o => o.InvisibilityTimeout = TimeSpan.FromSeconds(2));
        var keepAlive = new FetchedJobsKeepAlive(storage);
        Assert.Equal(TimeSpan.FromMilliseconds(400), keepAlive.Interval);
        using var connection = storage.GetConnection();
        var id = Enqueue(connection);
        using var running = connection.FetchNextJob(["default"], CancellationToken.None);

        // Three timeouts long, renewed every fifth of one.
        var until = DateTime.UtcNow.AddSeconds(6);
        while (DateTime.UtcNow < until)
        {
            Assert.Equal(1, keepAlive.RenewAll());
            Assert.Null(((MySqlStorageConnection)connection).TryFetch(["default"]));
            Thread.Sleep(keepAlive.Interval);
        }

        running.RemoveFromQueue();
        Assert.Equal(0, keepAlive.RenewAll());
    }

    [Fact]
    public void A_lease_taken_over_by_another_fetch_is_dropped_by_the_keep_alive()
    {
        var storage = CreateStorage(o => o.InvisibilityTimeout = TimeSpan.FromSeconds(1));
        var keepAlive = new FetchedJobsKeepAlive(storage);
        using var connection = storage.GetConnection();
        Enqueue(connection);
        var stalled = connection.FetchNextJob(["default"], CancellationToken.None);
        Thread.Sleep(1500);

        // A second process (its own storage, its own registry) takes the job over.
        var other = CreateStorage(o => o.InvisibilityTimeout = TimeSpan.FromSeconds(1));
        using var otherConnection = other.GetConnection();
        using var takenOver = otherConnection.FetchNextJob(["default"], CancellationToken.None);

        Assert.Equal(0, keepAlive.RenewAll());
        Assert.Equal(1, StorageLog.Count(6002));
        Assert.Empty(storage.FetchedJobs.Snapshot());
        stalled.Dispose();
        Assert.Equal(((MySqlFetchedJob)takenOver).Token, other.Use(c => c.ExecuteScalar<string>("SELECT FetchToken FROM hangfire_jobqueue")));
    }

    [Fact]
    public void Requeue_and_dispose_put_the_job_back_at_once()
    {
        var storage = CreateStorage();
        using var connection = storage.GetConnection();
        var id = Enqueue(connection);
        connection.FetchNextJob(["default"], CancellationToken.None).Requeue();
        using (var fetched = connection.FetchNextJob(["default"], CancellationToken.None))
        {
            Assert.Equal(id, fetched.JobId);
        }

        using var last = connection.FetchNextJob(["default"], CancellationToken.None);
        Assert.Equal(id, last.JobId);
    }

    [Fact]
    public void Eight_workers_fetching_400_jobs_receive_each_job_exactly_once()
    {
        const int jobs = 400;
        const int workers = 8;
        var storage = CreateStorage(o => o.QueuePollInterval = TimeSpan.FromMilliseconds(100));
        var ids = new HashSet<string>();
        using (var connection = storage.GetConnection())
        {
            for (var i = 0; i < jobs; i++)
            {
                ids.Add(Enqueue(connection, i % 2 == 0 ? "archive" : "default"));
            }
        }

        var delivered = new ConcurrentBag<string>();
        using var done = new CancellationTokenSource();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            using var connection = storage.GetConnection();
            try
            {
                while (true)
                {
                    using var fetched = connection.FetchNextJob(["archive", "default"], done.Token);
                    delivered.Add(fetched.JobId);
                    fetched.RemoveFromQueue();
                    if (delivered.Count >= jobs)
                    {
                        done.Cancel();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // All delivered.
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.True(threads.TrueForAll(t => t.Join(TimeSpan.FromSeconds(90))), $"only {delivered.Count} of {jobs} delivered");

        Assert.Equal(jobs, delivered.Count);
        Assert.Equal(ids.Order(), delivered.Order());
        Assert.Equal(0, storage.Use(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM hangfire_jobqueue")));
    }
}
