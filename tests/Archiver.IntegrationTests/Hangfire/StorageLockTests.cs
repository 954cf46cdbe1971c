using Archiver.Hangfire.MySql.Internal;
using Archiver.IntegrationTests.Infrastructure;
using Dapper;
using Hangfire.Storage;
using MySqlConnector;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>Conformance of the distributed locks (design notes, "Distributed locks").</summary>
public sealed class StorageLockTests : StorageTest
{
    [Fact]
    public void A_lock_is_exclusive_across_connections_and_times_out_naming_the_resource()
    {
        var storage = CreateStorage();
        using var first = storage.GetConnection();
        using var second = storage.GetConnection();
        using (first.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.FromSeconds(1)))
        {
            var started = DateTime.UtcNow;
            var error = Assert.Throws<DistributedLockTimeoutException>(() => second.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.FromSeconds(2)));
            Assert.Equal("recurring-jobs:lock", error.Resource);
            Assert.Contains("'recurring-jobs:lock'", error.Message, StringComparison.Ordinal);
            Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(4));
            Assert.Throws<DistributedLockTimeoutException>(() => second.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero));
        }

        using (second.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero))
        {
            Assert.Throws<DistributedLockTimeoutException>(() => first.AcquireDistributedLock("RECURRING-JOBS:LOCK", TimeSpan.Zero));
        }
    }

    [Fact]
    public void A_lock_is_reentrant_on_one_connection_and_freed_by_the_last_dispose()
    {
        var storage = CreateStorage();
        using var owner = (MySqlStorageConnection)storage.GetConnection();
        using var other = storage.GetConnection();
        var outer = owner.AcquireDistributedLock("resource", TimeSpan.Zero);
        var inner = owner.AcquireDistributedLock("resource", TimeSpan.Zero);
        inner.Dispose();
        inner.Dispose();
        Assert.Throws<DistributedLockTimeoutException>(() => other.AcquireDistributedLock("resource", TimeSpan.Zero));
        Assert.NotNull(owner.Locks.ServerThread);
        outer.Dispose();
        Assert.Null(owner.Locks.ServerThread);
        using (other.AcquireDistributedLock("resource", TimeSpan.Zero))
        {
        }
    }

    [Fact]
    public void A_connection_disposed_while_holding_a_lock_frees_it_before_its_session_returns_to_the_pool()
    {
        var storage = CreateStorage();
        using var other = storage.GetConnection();

        // The other connection's lock session is open already, so it cannot be handed the owner's
        // session (whose reset on reuse would free the lock and hide the leak).
        using var unrelated = other.AcquireDistributedLock("unrelated", TimeSpan.Zero);
        var owner = storage.GetConnection();
        var forgotten = owner.AcquireDistributedLock("campaign:8", TimeSpan.Zero);
        owner.Dispose();

        using (other.AcquireDistributedLock("campaign:8", TimeSpan.Zero))
        {
        }

        forgotten.Dispose();
    }

    [Fact]
    public async Task A_lock_is_released_when_its_session_is_killed()
    {
        var storage = CreateStorage();
        using var owner = (MySqlStorageConnection)storage.GetConnection();
        using var other = storage.GetConnection();
        using var held = owner.AcquireDistributedLock("campaign:7", TimeSpan.Zero);
        await using (var admin = new MySqlConnection(TestServers.MySql))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"KILL CONNECTION {owner.Locks.ServerThread}");
        }

        using (other.AcquireDistributedLock("campaign:7", TimeSpan.FromSeconds(5)))
        {
        }
    }

    [Fact]
    public void Long_lock_names_are_hashed_within_64_characters_and_stay_distinct()
    {
        var storage = CreateStorage();
        var a = "HangFire:" + new string('x', 80) + ":a";
        var b = "HangFire:" + new string('x', 80) + ":b";
        Assert.True(storage.LockName(a).Length <= 64);
        Assert.NotEqual(storage.LockName(a), storage.LockName(b));
        using var first = storage.GetConnection();
        using var second = storage.GetConnection();
        using (first.AcquireDistributedLock(a, TimeSpan.Zero))
        using (second.AcquireDistributedLock(b, TimeSpan.Zero))
        {
            var error = Assert.Throws<DistributedLockTimeoutException>(() => second.AcquireDistributedLock(a, TimeSpan.Zero));
            Assert.Equal(a, error.Resource);
        }
    }

    [Fact]
    public void Locks_of_two_prefixes_in_one_database_are_independent()
    {
        var one = CreateStorage(o => o.TablePrefix = "one_");
        var two = CreateStorage(o => o.TablePrefix = "two_");
        using var a = one.GetConnection();
        using var b = two.GetConnection();
        using (a.AcquireDistributedLock("locks:expirationmanager", TimeSpan.Zero))
        using (b.AcquireDistributedLock("locks:expirationmanager", TimeSpan.Zero))
        {
        }
    }

    [Fact]
    public void A_transaction_lock_is_held_until_the_transaction_is_disposed()
    {
        var storage = CreateStorage();
        using var owner = storage.GetConnection();
        using var other = storage.GetConnection();
        using (var transaction = (JobStorageTransaction)owner.CreateWriteTransaction())
        {
            transaction.AcquireDistributedLock("jobs:1", TimeSpan.Zero);
            transaction.AddToSet("s", "v");
            transaction.Commit();
            Assert.Throws<DistributedLockTimeoutException>(() => other.AcquireDistributedLock("jobs:1", TimeSpan.Zero));
        }

        using (other.AcquireDistributedLock("jobs:1", TimeSpan.Zero))
        {
        }
    }

    [Fact]
    public void Only_one_of_many_threads_holds_a_lock_at_a_time()
    {
        var storage = CreateStorage();
        var inside = 0;
        var maxInside = 0;
        var entered = 0;
        var threads = Enumerable.Range(0, 6).Select(_ => new Thread(() =>
        {
            using var connection = storage.GetConnection();
            for (var i = 0; i < 10; i++)
            {
                using (connection.AcquireDistributedLock("exclusive", TimeSpan.FromSeconds(30)))
                {
                    var now = Interlocked.Increment(ref inside);
                    InterlockedMax(ref maxInside, now);
                    Interlocked.Increment(ref entered);
                    Thread.Sleep(5);
                    Interlocked.Decrement(ref inside);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(60, entered);
        Assert.Equal(1, maxInside);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
