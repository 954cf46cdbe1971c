using Dapper;
using Hangfire.States;
using Hangfire.Storage;
using MySqlConnector;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>Conformance of the write-only transaction (design notes, "Transaction").</summary>
public sealed class StorageTransactionTests : StorageTest
{
    [Fact]
    public void Every_operation_applies_on_commit()
    {
        var storage = CreateStorage();
        using var connection = (JobStorageConnection)storage.GetConnection();
        var id = Enqueue(connection);
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            transaction.ExpireJob(id, TimeSpan.FromMinutes(30));
            transaction.SetJobState(id, new ScheduledState(TimeSpan.FromHours(1)));
            transaction.AddJobState(id, new DeletedState());
            transaction.AddToSet("s", "a", 2.5);
            transaction.AddToSet("s", "b");
            transaction.AddToSet("s", "a", 3.5);
            transaction.AddRangeToSet("r", ["x", "y"]);
            transaction.RemoveFromSet("s", "b");
            transaction.InsertToList("l", "1");
            transaction.InsertToList("l", "2");
            transaction.InsertToList("l", "1");
            transaction.RemoveFromList("l", "2");
            transaction.SetRangeInHash("h", [new("f", "v")]);
            transaction.ExpireSet("s", TimeSpan.FromMinutes(5));
            transaction.ExpireList("l", TimeSpan.FromMinutes(5));
            transaction.IncrementCounter("c");
            transaction.Commit();
        }

        Assert.Equal(ScheduledState.StateName, connection.GetStateData(id)!.Name);
        Assert.Equal(3, storage.GetMonitoringApi().JobDetails(id)!.History.Count);
        Assert.Equal(["a"], connection.GetAllItemsFromSet("s"));
        Assert.Equal(3.5, storage.Use(c => c.ExecuteScalar<double>("SELECT Score FROM hangfire_set WHERE `Key` = 's'")));
        Assert.Equal(["x", "y"], connection.GetAllItemsFromSet("r").Order());
        Assert.Equal(["1", "1"], connection.GetAllItemsFromList("l"));
        Assert.Equal("v", connection.GetValueFromHash("h", "f"));
        Assert.InRange(connection.GetSetTtl("s"), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.InRange(connection.GetListTtl("l"), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Equal(1, connection.GetCounter("c"));

        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            transaction.PersistJob(id);
            transaction.PersistSet("s");
            transaction.PersistList("l");
            transaction.RemoveHash("h");
            transaction.RemoveSet("r");
            transaction.Commit();
        }

        Assert.Equal(TimeSpan.FromSeconds(-1), connection.GetSetTtl("s"));
        Assert.Equal(TimeSpan.FromSeconds(-1), connection.GetListTtl("l"));
        Assert.Null(connection.GetAllEntriesFromHash("h"));
        Assert.Empty(connection.GetAllItemsFromSet("r"));
        Assert.Null(storage.GetMonitoringApi().JobDetails(id)!.ExpireAt);
    }

    [Fact]
    public void TrimList_keeps_the_requested_range_of_its_own_key_only()
    {
        var storage = CreateStorage();
        using var connection = (JobStorageConnection)storage.GetConnection();
        using (var transaction = connection.CreateWriteTransaction())
        {
            for (var i = 0; i < 6; i++)
            {
                transaction.InsertToList("trimmed", $"t{i}");
                transaction.InsertToList("untouched", $"u{i}");
            }

            transaction.Commit();
        }

        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.TrimList("trimmed", 1, 3);
            transaction.Commit();
        }

        // Newest first: t5 t4 t3 t2 t1 t0; positions 1..3 are t4 t3 t2.
        Assert.Equal(["t4", "t3", "t2"], connection.GetAllItemsFromList("trimmed"));
        Assert.Equal(6, connection.GetListCount("untouched"));
        Assert.Equal(["t3", "t2"], connection.GetRangeFromList("trimmed", 1, 2));
    }

    [Fact]
    public void Nothing_applies_without_Commit()
    {
        var storage = CreateStorage();
        using var connection = (JobStorageConnection)storage.GetConnection();
        var id = Enqueue(connection);
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.AddToSet("s", "a");
            transaction.IncrementCounter("c");
            transaction.AddToQueue("default", id);
            transaction.SetJobState(id, new DeletedState());
        }

        Assert.Empty(connection.GetAllItemsFromSet("s"));
        Assert.Equal(0, connection.GetCounter("c"));
        Assert.Equal(EnqueuedState.StateName, connection.GetStateData(id)!.Name);
        Assert.Equal(1, storage.GetMonitoringApi().EnqueuedCount("default"));
    }

    [Fact]
    public void A_failure_in_the_middle_of_a_commit_applies_nothing()
    {
        var storage = CreateStorage();
        using var connection = (JobStorageConnection)storage.GetConnection();
        var id = Enqueue(connection);
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetJobState(id, new DeletedState());
        transaction.AddToSet("s", "a");
        transaction.IncrementCounter("c");

        // The state row of a job that does not exist breaks its foreign key: after the first job's update ran.
        transaction.SetJobState("999999999", new DeletedState());
        var error = Assert.Throws<MySqlException>(transaction.Commit);
        Assert.Equal(MySqlErrorCode.NoReferencedRow2, error.ErrorCode);

        Assert.Equal(EnqueuedState.StateName, connection.GetStateData(id)!.Name);
        Assert.Empty(connection.GetAllItemsFromSet("s"));
        Assert.Equal(0, connection.GetCounter("c"));
    }

    [Fact]
    public void Concurrent_commits_on_the_same_jobs_and_keys_never_surface_a_deadlock()
    {
        var storage = CreateStorage();
        using (var setup = storage.GetConnection())
        {
            for (var i = 0; i < 4; i++)
            {
                Enqueue(setup);
            }
        }

        var ids = storage.Use(c => c.Query<string>("SELECT CAST(Id AS CHAR) FROM hangfire_job ORDER BY Id")).ToList();
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 6).Select(t => new Thread(() =>
        {
            using var connection = storage.GetConnection();
            for (var round = 0; round < 40; round++)
            {
                try
                {
                    using var transaction = connection.CreateWriteTransaction();

                    // Each thread touches the same rows in a different order; the commit sorts them.
                    foreach (var id in t % 2 == 0 ? ids : Enumerable.Reverse(ids))
                    {
                        transaction.SetJobState(id, new ScheduledState(TimeSpan.FromMinutes(t + 1)));
                        transaction.AddToSet("shared", id, round);
                        transaction.SetRangeInHash("hash:" + id, [new("owner", $"{t}")]);
                    }

                    transaction.IncrementCounter("rounds");
                    transaction.Commit();
                }
#pragma warning disable CA1031 // Collected and asserted below.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failures.Add(ex);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(failures);
        using var check = storage.GetConnection();
        Assert.Equal(240, ((JobStorageConnection)check).GetCounter("rounds"));
    }
}
