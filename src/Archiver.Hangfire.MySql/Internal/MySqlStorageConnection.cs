using System.Data;
using System.Globalization;
using Dapper;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>
/// One Hangfire storage connection: every call takes a pooled MySQL connection for itself and
/// gives it back, except the locks, which live on the dedicated session of <see cref="LockSession"/>.
/// </summary>
internal sealed partial class MySqlStorageConnection(MySqlStorage storage) : JobStorageConnection
{
    private readonly LockSession _locks = new(storage);

    private StorageTables T => storage.Tables;

    internal LockSession Locks => _locks;

    public override IWriteOnlyTransaction CreateWriteTransaction() => new MySqlWriteOnlyTransaction(storage, _locks);

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout) => _locks.Acquire(resource, timeout);

    public override DateTime GetUtcDateTime() => storage.Use(c => c.ExecuteScalar<DateTime>("SELECT UTC_TIMESTAMP(6)"));

    public override string CreateExpiredJob(Job job, IDictionary<string, string?> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);
        var invocationData = InvocationData.SerializeJob(job);
        var payload = invocationData.SerializePayload(excludeArguments: true);
        return storage.Use(connection =>
        {
            using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
            var id = connection.ExecuteScalar<long>(
                $"""
                INSERT INTO {T.Job} (InvocationData, Arguments, CreatedAt, ExpireAt)
                VALUES (@payload, @arguments, @createdAt, {SqlTime.NowPlus("expire")});
                SELECT LAST_INSERT_ID();
                """,
                new { payload, arguments = invocationData.Arguments ?? "", createdAt = Utc(createdAt), expire = SqlTime.Micros(expireIn) },
                transaction);
            if (parameters.Count > 0)
            {
                connection.Execute(
                    $"INSERT INTO {T.JobParameter} (JobId, Name, Value) VALUES (@id, @name, @value)",
                    parameters.Select(p => new { id, name = p.Key, value = p.Value }),
                    transaction);
            }

            transaction.Commit();
            return id.ToString(CultureInfo.InvariantCulture);
        });
    }

    public override void SetJobParameter(string id, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var jobId = ParseId(id) ?? throw new ArgumentException($"'{id}' is not a job id", nameof(id));
        storage.Use(c => c.Execute(
            $"INSERT INTO {T.JobParameter} (JobId, Name, Value) VALUES (@jobId, @name, @value) ON DUPLICATE KEY UPDATE Value = VALUES(Value)",
            new { jobId, name, value }));
    }

    public override string? GetJobParameter(string id, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ParseId(id) is { } jobId
            ? storage.Use(c => c.ExecuteScalar<string?>($"SELECT Value FROM {T.JobParameter} WHERE JobId = @jobId AND Name = @name", new { jobId, name }))
            : null;
    }

    public override JobData? GetJobData(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (ParseId(jobId) is not { } id)
        {
            return null;
        }

        var row = storage.Use(c => c.QuerySingleOrDefault<JobRow>(
            $"SELECT InvocationData, Arguments, StateName, CreatedAt FROM {T.Job} WHERE Id = @id", new { id }));
        if (row is null)
        {
            return null;
        }

        InvocationData? invocationData = null;
        Job? job = null;
        JobLoadException? loadException = null;
        try
        {
            invocationData = InvocationData.DeserializePayload(row.InvocationData);
            if (!string.IsNullOrEmpty(row.Arguments))
            {
                invocationData.Arguments = row.Arguments;
            }

            job = invocationData.DeserializeJob();
        }
        catch (JobLoadException ex)
        {
            loadException = ex;
        }
#pragma warning disable CA1031 // A payload that cannot be read at all is reported like one whose type is gone.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            loadException = new JobLoadException($"could not read the payload of job {jobId}: {ex.Message}", ex);
        }

        return new JobData { Job = job, InvocationData = invocationData, State = row.StateName, CreatedAt = row.CreatedAt, LoadException = loadException };
    }

    public override StateData? GetStateData(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (ParseId(jobId) is not { } id)
        {
            return null;
        }

        var row = storage.Use(c => c.QuerySingleOrDefault<StateRow>(
            $"SELECT s.Name, s.Reason, s.Data FROM {T.State} s JOIN {T.Job} j ON j.StateId = s.Id WHERE j.Id = @id", new { id }));
        return row is null ? null : new StateData { Name = row.Name, Reason = row.Reason, Data = StateDataOf(row.Data) };
    }

    public override void AnnounceServer(string serverId, ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        ArgumentNullException.ThrowIfNull(context);
        var data = SerializationHelper.Serialize(new ServerData { WorkerCount = context.WorkerCount, Queues = context.Queues, StartedAt = DateTime.UtcNow });
        storage.Use(c => c.Execute(
            $"INSERT INTO {T.Server} (Id, Data, LastHeartbeat) VALUES (@serverId, @data, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE Data = VALUES(Data), LastHeartbeat = VALUES(LastHeartbeat)",
            new { serverId, data }));
    }

    public override void RemoveServer(string serverId)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        storage.Use(c => c.Execute($"DELETE FROM {T.Server} WHERE Id = @serverId", new { serverId }));
    }

    public override void Heartbeat(string serverId)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        var found = storage.Use(c => c.Execute($"UPDATE {T.Server} SET LastHeartbeat = UTC_TIMESTAMP(6) WHERE Id = @serverId", new { serverId }));
        if (found == 0)
        {
            throw new BackgroundServerGoneException();
        }
    }

    public override int RemoveTimedOutServers(TimeSpan timeOut)
    {
        if (timeOut < TimeSpan.Zero)
        {
            throw new ArgumentException("the time-out must not be negative", nameof(timeOut));
        }

        return storage.Use(c => c.Execute(
            $"DELETE FROM {T.Server} WHERE LastHeartbeat < UTC_TIMESTAMP(6) - INTERVAL @micros MICROSECOND", new { micros = SqlTime.Micros(timeOut) }));
    }

    public override void Dispose()
    {
        _locks.Dispose();
        base.Dispose();
    }

    internal static long? ParseId(string? id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    internal static Dictionary<string, string> StateDataOf(string? json)
    {
        var data = json is null ? null : SerializationHelper.Deserialize<Dictionary<string, string>>(json);
        return new Dictionary<string, string>(data ?? [], StringComparer.OrdinalIgnoreCase);
    }

    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };

    private sealed record JobRow(string InvocationData, string Arguments, string? StateName, DateTime CreatedAt);

    private sealed record StateRow(string Name, string? Reason, string? Data);
}
