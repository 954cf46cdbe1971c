using System.Data;
using System.Globalization;
using Dapper;
using Hangfire.States;
using Hangfire.Storage;
using MySqlConnector;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>
/// Queues Hangfire's writes and applies them in one READ COMMITTED transaction on
/// <see cref="Commit"/> (never TransactionScope, which MySqlConnector turns into an XA transaction
/// that keeps tables locked when a connection dies). Commands run ordered by table and key, so all
/// transactions take row locks in one order; a commit that still loses a deadlock is retried whole.
/// </summary>
internal sealed partial class MySqlWriteOnlyTransaction(MySqlStorage storage, LockSession locks) : JobStorageTransaction
{
    private readonly List<Command> _commands = [];
    private readonly List<IDisposable> _acquiredLocks = [];
    private int _enqueued;

    private StorageTables T => storage.Tables;

    public override void AcquireDistributedLock(string resource, TimeSpan timeout) => _acquiredLocks.Add(locks.Acquire(resource, timeout));

    public override void ExpireJob(string jobId, TimeSpan expireIn) => Job(jobId,
        $"UPDATE {T.Job} SET ExpireAt = {SqlTime.NowPlus("expire")} WHERE Id = @id", new { id = Id(jobId), expire = SqlTime.Micros(expireIn) });

    public override void PersistJob(string jobId) => Job(jobId, $"UPDATE {T.Job} SET ExpireAt = NULL WHERE Id = @id", new { id = Id(jobId) });

    /// <summary>The job row is locked (updated) before the state row is inserted: the insert's foreign-key check only takes a shared lock, and two shared locks upgraded at once deadlock.</summary>
    public override void SetJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Job(jobId,
            $"""
            UPDATE {T.Job} SET StateName = @name WHERE Id = @id;
            INSERT INTO {T.State} (JobId, Name, Reason, CreatedAt, Data) VALUES (@id, @name, @reason, UTC_TIMESTAMP(6), @data);
            UPDATE {T.Job} SET StateId = LAST_INSERT_ID() WHERE Id = @id;
            """,
            StateArgs(jobId, state));
    }

    public override void AddJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Job(jobId,
            $"INSERT INTO {T.State} (JobId, Name, Reason, CreatedAt, Data) VALUES (@id, @name, @reason, UTC_TIMESTAMP(6), @data)",
            StateArgs(jobId, state));
    }

    public override void AddToQueue(string queue, string jobId)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Add(Table.JobQueue, queue,
            $"INSERT INTO {T.JobQueue} (JobId, Queue, FetchedAt) VALUES (@id, @queue, {SqlTime.Unfetched})", new { id = Id(jobId), queue });
        _enqueued++;
    }

    public override void IncrementCounter(string key) => Counter(key, 1, null);

    public override void IncrementCounter(string key, TimeSpan expireIn) => Counter(key, 1, expireIn);

    public override void DecrementCounter(string key) => Counter(key, -1, null);

    public override void DecrementCounter(string key, TimeSpan expireIn) => Counter(key, -1, expireIn);

    public override void Commit()
    {
        var ordered = _commands
            .Select((command, index) => (command, index))
            .OrderBy(c => c.command.Table)
            .ThenBy(c => c.command.Key, StringComparer.Ordinal)
            .ThenBy(c => c.index)
            .Select(c => c.command)
            .ToList();
        var attempts = storage.Options.CommitAttempts;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                storage.Use(connection => Apply(connection, ordered));
                break;
            }
            catch (MySqlException ex) when (attempt < attempts && ex.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout)
            {
                Log.CommitRetry(storage.Logger, ex.ErrorCode == MySqlErrorCode.LockDeadlock ? "deadlock" : "lock wait timeout", attempt, attempts);
                Thread.Sleep(Random.Shared.Next(5, 20 * attempt));
            }
        }

        if (_enqueued > 0)
        {
            storage.SignalNewJobs(_enqueued);
        }
    }

    public override void Dispose()
    {
        foreach (var acquired in _acquiredLocks)
        {
            acquired.Dispose();
        }

        _acquiredLocks.Clear();
        base.Dispose();
    }

    private static void Apply(MySqlConnection connection, List<Command> commands)
    {
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        try
        {
            foreach (var command in commands)
            {
                connection.Execute(command.Sql, command.Arguments, transaction);
            }

            transaction.Commit();
        }
        catch
        {
            // A lock wait timeout undoes only the statement; roll the rest back before trying again.
            TryRollback(transaction);
            throw;
        }
    }

    private static void TryRollback(MySqlTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (MySqlException)
        {
            // The connection is broken; the server rolls the transaction back itself.
        }
        catch (InvalidOperationException)
        {
            // Already completed.
        }
    }

    private static object StateArgs(string jobId, IState state) => new
    {
        id = Id(jobId),
        name = state.Name,
        reason = state.Reason is { Length: > 100 } reason ? reason[..100] : state.Reason,
        data = global::Hangfire.Common.SerializationHelper.Serialize(state.SerializeData()),
    };

    private void Job(string jobId, string sql, object arguments) => Add(Table.Job, Id(jobId).ToString("D20", CultureInfo.InvariantCulture), sql, arguments);

    private void Counter(string key, int value, TimeSpan? expireIn)
    {
        ArgumentNullException.ThrowIfNull(key);
        Add(Table.Counter, key,
            expireIn is { } expire
                ? $"INSERT INTO {T.Counter} (`Key`, Value, ExpireAt) VALUES (@key, @value, {SqlTime.NowPlus("expire")})"
                : $"INSERT INTO {T.Counter} (`Key`, Value) VALUES (@key, @value)",
            new { key, value, expire = expireIn is { } e ? SqlTime.Micros(e) : 0 });
    }

    private void Add(Table table, string key, string sql, object arguments) => _commands.Add(new Command(table, key, sql, arguments));

    private static long Id(string jobId) =>
        MySqlStorageConnection.ParseId(jobId) ?? throw new ArgumentException($"'{jobId}' is not a job id", nameof(jobId));

    /// <summary>Lock order of a commit: tables in this order, keys ordinal within each.</summary>
    private enum Table
    {
        Job,
        JobQueue,
        Set,
        Hash,
        List,
        Counter,
    }

    private sealed record Command(Table Table, string Key, string Sql, object Arguments);
}
