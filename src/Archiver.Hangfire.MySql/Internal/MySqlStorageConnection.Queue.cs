using System.Data;
using System.Globalization;
using Dapper;
using Hangfire.Storage;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>
/// Dequeue by sliding invisibility: a row is free when its lease (FetchedAt) is older than the
/// invisibility timeout. One short READ COMMITTED transaction per attempt takes a free row with
/// <c>FOR UPDATE SKIP LOCKED</c> (so concurrent fetches never wait on one another, and no global
/// lock serialises them), stamps it with the server's time and a new fetch token, and commits.
/// </summary>
internal sealed partial class MySqlStorageConnection
{
    public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Length == 0)
        {
            throw new ArgumentException("at least one queue is needed", nameof(queues));
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryFetch(queues) is { } fetched)
            {
                return fetched;
            }

            // A commit of this process that enqueued wakes us early; other processes' jobs wait for the poll.
            storage.NewJobs.Wait(storage.Options.QueuePollInterval, cancellationToken);
        }
    }

    internal MySqlFetchedJob? TryFetch(string[] queues)
    {
        var token = Guid.NewGuid().ToString("D");
        return storage.Use(connection =>
        {
            using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
            var row = connection.QuerySingleOrDefault<QueueRow>(
                $"""
                SELECT Id, JobId, Queue FROM {T.JobQueue}
                WHERE Queue IN @queues AND FetchedAt < UTC_TIMESTAMP(6) - INTERVAL @invisibility MICROSECOND
                ORDER BY FetchedAt, Id LIMIT 1 FOR UPDATE SKIP LOCKED
                """,
                new { queues, invisibility = SqlTime.Micros(storage.Options.InvisibilityTimeout) },
                transaction);
            if (row is not { } found)
            {
                transaction.Commit();
                return null;
            }

            connection.Execute(
                $"UPDATE {T.JobQueue} SET FetchedAt = UTC_TIMESTAMP(6), FetchToken = @token WHERE Id = @id",
                new { id = found.Id, token },
                transaction);
            transaction.Commit();
            return new MySqlFetchedJob(storage, found.Id, found.JobId.ToString(CultureInfo.InvariantCulture), found.Queue, token);
        });
    }

    private sealed record QueueRow(long Id, long JobId, string Queue);
}
