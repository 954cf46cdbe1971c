using Dapper;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>What the dashboard reads: statistics, queues, servers, one job's history, and per-state lists and graphs.</summary>
internal sealed partial class MySqlMonitoringApi(MySqlStorage storage) : JobStorageMonitor
{
    private StorageTables T => storage.Tables;

    private long Invisibility => SqlTime.Micros(storage.Options.InvisibilityTimeout);

    public override StatisticsDto GetStatistics() => storage.Use(c =>
    {
        var states = c.Query<(string StateName, long Count)>(
            $"SELECT StateName, COUNT(*) FROM {T.Job} WHERE StateName IN ('Enqueued', 'Failed', 'Processing', 'Scheduled', 'Awaiting') GROUP BY StateName")
            .ToDictionary(r => r.StateName, r => r.Count, StringComparer.OrdinalIgnoreCase);
        long State(string name) => states.TryGetValue(name, out var count) ? count : 0;
        long Counter(string key) => c.ExecuteScalar<long>(
            $"SELECT (SELECT COALESCE(SUM(Value), 0) FROM {T.Counter} WHERE `Key` = @key) + (SELECT COALESCE(SUM(Value), 0) FROM {T.AggregatedCounter} WHERE `Key` = @key)",
            new { key });
        return new StatisticsDto
        {
            Enqueued = State(EnqueuedState.StateName),
            Failed = State(FailedState.StateName),
            Processing = State(ProcessingState.StateName),
            Scheduled = State(ScheduledState.StateName),
            Awaiting = State(AwaitingState.StateName),
            Servers = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM {T.Server}"),
            Queues = c.ExecuteScalar<long>($"SELECT COUNT(DISTINCT Queue) FROM {T.JobQueue}"),
            Succeeded = Counter("stats:succeeded"),
            Deleted = Counter("stats:deleted"),
            Recurring = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM {T.Set} WHERE `Key` = 'recurring-jobs'"),
            Retries = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM {T.Set} WHERE `Key` = 'retries'"),
        };
    });

    public override IList<QueueWithTopEnqueuedJobsDto> Queues()
    {
        var queues = storage.Use(c => c.Query<string>($"SELECT DISTINCT Queue FROM {T.JobQueue} ORDER BY Queue")).AsList();
        return queues.Select(queue => new QueueWithTopEnqueuedJobsDto
        {
            Name = queue,
            Length = EnqueuedCount(queue),
            Fetched = FetchedCount(queue),
            FirstJobs = EnqueuedJobs(queue, 0, 5),
        }).ToList();
    }

    public override IList<ServerDto> Servers()
    {
        var rows = storage.Use(c => c.Query<(string Id, string? Data, DateTime LastHeartbeat)>($"SELECT Id, Data, LastHeartbeat FROM {T.Server} ORDER BY Id")).AsList();
        return rows.Select(row =>
        {
            var data = row.Data is null ? null : SerializationHelper.Deserialize<ServerData>(row.Data);
            return new ServerDto
            {
                Name = row.Id,
                Heartbeat = row.LastHeartbeat,
                WorkersCount = data?.WorkerCount ?? 0,
                Queues = data?.Queues ?? [],
                StartedAt = data?.StartedAt ?? default,
            };
        }).ToList();
    }

    public override JobDetailsDto? JobDetails(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (MySqlStorageConnection.ParseId(jobId) is not { } id)
        {
            return null;
        }

        return storage.Use(c =>
        {
            var job = c.QuerySingleOrDefault<JobRow>(
                $"SELECT Id, InvocationData, Arguments, CreatedAt, ExpireAt, StateName, NULL AS StateReason, NULL AS StateData FROM {T.Job} WHERE Id = @id", new { id });
            if (job is null)
            {
                return null;
            }

            var parameters = c.Query<(string Name, string? Value)>($"SELECT Name, Value FROM {T.JobParameter} WHERE JobId = @id", new { id })
                .ToDictionary(p => p.Name, p => p.Value!, StringComparer.Ordinal);
            var history = c.Query<(string Name, string? Reason, DateTime CreatedAt, string? Data)>(
                $"SELECT Name, Reason, CreatedAt, Data FROM {T.State} WHERE JobId = @id ORDER BY Id DESC", new { id })
                .Select(s => new StateHistoryDto { StateName = s.Name, Reason = s.Reason, CreatedAt = s.CreatedAt, Data = MySqlStorageConnection.StateDataOf(s.Data) })
                .ToList();
            var (loaded, invocation, exception) = Load(job);
            return new JobDetailsDto
            {
                Job = loaded,
                InvocationData = invocation,
                LoadException = exception,
                CreatedAt = job.CreatedAt,
                ExpireAt = job.ExpireAt,
                Properties = parameters,
                History = history,
            };
        });
    }

    public override long ScheduledCount() => StateCount(ScheduledState.StateName);

    public override long FailedCount() => StateCount(FailedState.StateName);

    public override long ProcessingCount() => StateCount(ProcessingState.StateName);

    public override long SucceededListCount() => StateCount(SucceededState.StateName);

    public override long DeletedListCount() => StateCount(DeletedState.StateName);

    public override long AwaitingCount() => StateCount(AwaitingState.StateName);

    public override long EnqueuedCount(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return storage.Use(c => c.ExecuteScalar<long>(
            $"SELECT COUNT(*) FROM {T.JobQueue} WHERE Queue = @queue AND FetchedAt < UTC_TIMESTAMP(6) - INTERVAL @invisibility MICROSECOND",
            new { queue, invisibility = Invisibility }));
    }

    public override long FetchedCount(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return storage.Use(c => c.ExecuteScalar<long>(
            $"SELECT COUNT(*) FROM {T.JobQueue} WHERE Queue = @queue AND FetchedAt >= UTC_TIMESTAMP(6) - INTERVAL @invisibility MICROSECOND",
            new { queue, invisibility = Invisibility }));
    }

    private long StateCount(string state) => storage.Use(c => c.ExecuteScalar<long>(
        $"SELECT COUNT(*) FROM (SELECT 1 FROM {T.Job} WHERE StateName = @state LIMIT @limit) AS limited",
        new { state, limit = storage.Options.DashboardJobListLimit }));

    private static (Job? Job, InvocationData? Invocation, JobLoadException? Exception) Load(JobRow row)
    {
        try
        {
            var invocation = InvocationData.DeserializePayload(row.InvocationData);
            if (!string.IsNullOrEmpty(row.Arguments))
            {
                invocation.Arguments = row.Arguments;
            }

            try
            {
                return (invocation.DeserializeJob(), invocation, null);
            }
            catch (JobLoadException ex)
            {
                return (null, invocation, ex);
            }
        }
#pragma warning disable CA1031 // An unreadable payload is shown as such on the dashboard, not thrown at it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (null, null, new JobLoadException($"could not read the payload of job {row.Id}: {ex.Message}", ex));
        }
    }

    /// <summary>A job row with its current state, as the lists read it (a class: Dapper maps NULL literals by name, not by constructor type).</summary>
    private sealed class JobRow
    {
        public long Id { get; set; }

        public string InvocationData { get; set; } = "";

        public string Arguments { get; set; } = "";

        public DateTime CreatedAt { get; set; }

        public DateTime? ExpireAt { get; set; }

        public string? StateName { get; set; }

        public string? StateReason { get; set; }

        public string? StateData { get; set; }
    }
}
