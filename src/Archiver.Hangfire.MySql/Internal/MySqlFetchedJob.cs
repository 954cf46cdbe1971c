using Dapper;
using Hangfire.Storage;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>
/// A queue row this worker leased. Every change matches the row's id and this fetch's token, so a
/// worker whose lease ran out (and whose job another worker fetched since) can neither delete nor
/// requeue the other's delivery. While it is alive, the keep-alive renews its lease.
/// </summary>
internal sealed class MySqlFetchedJob : IFetchedJob
{
    private readonly MySqlStorage _storage;
    private volatile bool _done;

    public MySqlFetchedJob(MySqlStorage storage, long queueId, string jobId, string queue, string token)
    {
        _storage = storage;
        QueueId = queueId;
        JobId = jobId;
        Queue = queue;
        Token = token;
        storage.FetchedJobs.Add(this);
    }

    public long QueueId { get; }

    public string JobId { get; }

    public string Queue { get; }

    public string Token { get; }

    /// <summary>Removed or requeued by its worker: a keep-alive that finds no row afterwards has lost nothing.</summary>
    public bool Completed => _done;

    public void RemoveFromQueue()
    {
        _done = true;
        _storage.FetchedJobs.Remove(this);
        _storage.Use(c => c.Execute(
            $"DELETE FROM {_storage.Tables.JobQueue} WHERE Id = @QueueId AND FetchToken = @Token", this));
    }

    public void Requeue()
    {
        _done = true;
        _storage.FetchedJobs.Remove(this);
        _storage.Use(c => c.Execute(
            $"UPDATE {_storage.Tables.JobQueue} SET FetchedAt = {SqlTime.Unfetched}, FetchToken = NULL WHERE Id = @QueueId AND FetchToken = @Token", this));
        _storage.SignalNewJobs(1);
    }

    /// <summary>Renews the lease; false when the row is gone or another fetch owns it now.</summary>
    public bool KeepAlive() => _storage.Use(c => c.Execute(
        $"UPDATE {_storage.Tables.JobQueue} SET FetchedAt = UTC_TIMESTAMP(6) WHERE Id = @QueueId AND FetchToken = @Token", this)) == 1;

    public void Dispose()
    {
        if (!_done)
        {
            Requeue();
        }

        _storage.FetchedJobs.Remove(this);
    }
}
