using System.Data;
using Dapper;
using Hangfire.Server;
using Hangfire.Storage;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>
/// Deletes expired rows every <see cref="MySqlStorageOptions.JobExpirationCheckInterval"/>, in
/// ExpireAt order and in batches of <see cref="MySqlStorageOptions.BatchSize"/>, each its own short
/// transaction, so that no delete holds many row locks or a long undo log. One server does a round
/// at a time (a lock taken without waiting; the others skip the round).
/// </summary>
internal sealed class ExpirationManager(MySqlStorage storage) : IBackgroundProcess
{
    internal const string LockResource = "locks:expirationmanager";

    public void Execute(BackgroundProcessContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RunOnce(context.StoppingToken);
        context.Wait(storage.Options.JobExpirationCheckInterval);
    }

    /// <summary>One round; the rows deleted, or null when another server held the lock.</summary>
    internal int? RunOnce(CancellationToken cancellationToken)
    {
        using var connection = (MySqlStorageConnection)storage.GetConnection();
        IDisposable held;
        try
        {
            held = connection.AcquireDistributedLock(LockResource, TimeSpan.Zero);
        }
        catch (DistributedLockTimeoutException)
        {
            Log.RoundSkipped(storage.Logger, nameof(ExpirationManager), LockResource);
            return null;
        }

        using (held)
        {
            var total = 0;
            var t = storage.Tables;

            // Each table on its own: a job's state and parameter rows have no ExpireAt and go with
            // the job (ON DELETE CASCADE), so no order between these tables matters.
            foreach (var table in new[] { t.AggregatedCounter, t.Job, t.List, t.Set, t.Hash })
            {
                total += Expire(table, cancellationToken);
            }

            return total;
        }
    }

    private int Expire(string table, CancellationToken cancellationToken)
    {
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var deleted = storage.Use(connection =>
            {
                using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
                var count = connection.Execute(
                    $"DELETE FROM {table} WHERE ExpireAt < UTC_TIMESTAMP(6) ORDER BY ExpireAt LIMIT @batch",
                    new { batch = storage.Options.BatchSize }, transaction, commandTimeout: 300);
                transaction.Commit();
                return count;
            });
            total += deleted;
            if (deleted < storage.Options.BatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            Log.Expired(storage.Logger, total, table);
        }

        return total;
    }

    public override string ToString() => "MySQL expiration manager";
}
