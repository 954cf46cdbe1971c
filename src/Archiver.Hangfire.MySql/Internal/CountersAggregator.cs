using System.Data;
using Dapper;
using Hangfire.Server;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>
/// Every <see cref="MySqlStorageOptions.CountersAggregateInterval"/>, folds the counter table's
/// one-row-per-increment rows into one row per key. Each batch is one transaction: lock the lowest
/// <see cref="MySqlStorageOptions.BatchSize"/> ids, add their sums to the aggregated rows, delete
/// exactly those ids. Increments inserted meanwhile get higher ids and wait for the next batch, and
/// readers sum both tables in one statement, so a total is never counted twice or missed.
/// </summary>
internal sealed class CountersAggregator(MySqlStorage storage) : IBackgroundProcess
{
    public void Execute(BackgroundProcessContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RunOnce(context.StoppingToken);
        context.Wait(storage.Options.CountersAggregateInterval);
    }

    /// <summary>
    /// Aggregates the rows that existed when the round began (or until cancelled); the rows folded.
    /// The bound matters: increments arriving faster than one batch per round would otherwise keep
    /// the round going forever.
    /// </summary>
    internal int RunOnce(CancellationToken cancellationToken)
    {
        var total = 0;
        var lastId = storage.Use(c => c.ExecuteScalar<long?>($"SELECT MAX(Id) FROM {storage.Tables.Counter}"));
        while (lastId is { } upTo && !cancellationToken.IsCancellationRequested)
        {
            var folded = storage.Use(c => AggregateBatch(c, upTo));
            total += folded;
            if (folded < storage.Options.BatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            Log.Aggregated(storage.Logger, total);
        }

        return total;
    }

    private int AggregateBatch(MySqlConnector.MySqlConnection connection, long upTo)
    {
        var t = storage.Tables;
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        var rows = connection.Query<CounterRow>(
            $"SELECT Id, `Key`, Value, ExpireAt FROM {t.Counter} WHERE Id <= @upTo ORDER BY Id LIMIT @batch FOR UPDATE",
            new { upTo, batch = storage.Options.BatchSize }, transaction).AsList();
        if (rows.Count == 0)
        {
            transaction.Commit();
            return 0;
        }

        // Sorted by key, so that two aggregators (or an aggregator and a reader's lock) take key locks in one order.
        var sums = rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new { key = g.Key, value = g.Sum(r => (long)r.Value), expireAt = g.Max(r => r.ExpireAt) });

        // The later expiry wins; GREATEST is NULL when either side is, so a missing expiry falls back to the other.
        connection.Execute(
            $"""
            INSERT INTO {t.AggregatedCounter} (`Key`, Value, ExpireAt) VALUES (@key, @value, @expireAt)
            ON DUPLICATE KEY UPDATE Value = Value + VALUES(Value),
                ExpireAt = COALESCE(GREATEST(ExpireAt, VALUES(ExpireAt)), ExpireAt, VALUES(ExpireAt))
            """,
            sums, transaction);
        var ids = rows.Select(r => r.Id).ToList();
        var deleted = connection.Execute($"DELETE FROM {t.Counter} WHERE Id IN @ids", new { ids }, transaction);
        if (deleted != ids.Count)
        {
            throw new MySqlStorageException($"the counter aggregator locked {ids.Count} rows but deleted {deleted}; rolled back");
        }

        transaction.Commit();
        return rows.Count;
    }

    public override string ToString() => "MySQL counters aggregator";

    private sealed record CounterRow(long Id, string Key, int Value, DateTime? ExpireAt);
}
