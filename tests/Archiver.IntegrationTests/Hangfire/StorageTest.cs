using Archiver.Hangfire.MySql;
using Archiver.IntegrationTests.Infrastructure;
using Dapper;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Archiver.IntegrationTests.Hangfire;

/// <summary>Base of the storage conformance tests: a fresh database per test, storages on it with short timeouts, disposed afterwards.</summary>
public abstract class StorageTest : DatabaseTest, IAsyncLifetime
{
    private readonly List<MySqlStorage> _storages = [];

    protected StorageLog StorageLog { get; } = new();

    protected MySqlStorage CreateStorage(Action<MySqlStorageOptions>? configure = null)
    {
        var options = new MySqlStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(200), InvisibilityTimeout = TimeSpan.FromMinutes(5) };
        configure?.Invoke(options);
        var storage = new MySqlStorage(Db.ConnectionString, options, StorageLog);
        _storages.Add(storage);
        return storage;
    }

    /// <summary>A job in the Enqueued state on <paramref name="queue"/>, as the client creates it.</summary>
    protected static string Enqueue(IStorageConnection connection, string queue = "default", string argument = "x")
    {
        var job = Job.FromExpression(() => SampleJobs.Echo(argument));
        var id = connection.CreateExpiredJob(job, new Dictionary<string, string?>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetJobState(id, new EnqueuedState(queue));
        transaction.AddToQueue(queue, id);
        transaction.PersistJob(id);
        transaction.Commit();
        return id;
    }

    protected async Task<T> ScalarAsync<T>(string sql, object? parameters = null) => await Db.ScalarAsync<T>(sql, parameters);

    protected async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var storage in _storages)
        {
            storage.Dispose();
        }

        await base.DisposeAsync();
    }
}
