using System.Globalization;
using Dapper;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;

namespace Archiver.Hangfire.MySql.Internal;

/// <summary>The dashboard's per-state and per-queue job lists, newest first (queues oldest first).</summary>
internal sealed partial class MySqlMonitoringApi
{
    public override JobList<EnqueuedJobDto> EnqueuedJobs(string queue, int from, int perPage)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var rows = QueueRows(queue, from, perPage, fetched: false);
        return new JobList<EnqueuedJobDto>(rows.Select(r =>
        {
            var (job, invocation, exception) = Load(r.Job);
            var data = MySqlStorageConnection.StateDataOf(r.Job.StateData);
            return Pair(r.Job.Id, new EnqueuedJobDto
            {
                Job = job,
                InvocationData = invocation,
                LoadException = exception,
                State = r.Job.StateName,
                InEnqueuedState = EnqueuedState.StateName.Equals(r.Job.StateName, StringComparison.OrdinalIgnoreCase),
                EnqueuedAt = data.TryGetValue("EnqueuedAt", out var at) ? JobHelper.DeserializeNullableDateTime(at) : null,
                StateData = data,
            });
        }));
    }

    public override JobList<FetchedJobDto> FetchedJobs(string queue, int from, int perPage)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var rows = QueueRows(queue, from, perPage, fetched: true);
        return new JobList<FetchedJobDto>(rows.Select(r =>
        {
            var (job, invocation, exception) = Load(r.Job);
            return Pair(r.Job.Id, new FetchedJobDto { Job = job, InvocationData = invocation, LoadException = exception, State = r.Job.StateName, FetchedAt = r.FetchedAt });
        }));
    }

    public override JobList<ProcessingJobDto> ProcessingJobs(int from, int count) => StateList(ProcessingState.StateName, from, count, (row, data, loaded) => new ProcessingJobDto
    {
        Job = loaded.Job,
        InvocationData = loaded.InvocationData,
        LoadException = loaded.LoadException,
        InProcessingState = true,
        ServerId = data.GetValueOrDefault("ServerId") ?? data.GetValueOrDefault("ServerName"),
        StartedAt = Date(data, "StartedAt"),
        StateData = data,
    });

    public override JobList<ScheduledJobDto> ScheduledJobs(int from, int count) => StateList(ScheduledState.StateName, from, count, (row, data, loaded) => new ScheduledJobDto
    {
        Job = loaded.Job,
        InvocationData = loaded.InvocationData,
        LoadException = loaded.LoadException,
        InScheduledState = true,
        EnqueueAt = Date(data, "EnqueueAt") ?? default,
        ScheduledAt = Date(data, "ScheduledAt"),
        StateData = data,
    });

    public override JobList<SucceededJobDto> SucceededJobs(int from, int count) => StateList(SucceededState.StateName, from, count, (row, data, loaded) => new SucceededJobDto
    {
        Job = loaded.Job,
        InvocationData = loaded.InvocationData,
        LoadException = loaded.LoadException,
        InSucceededState = true,
        Result = data.GetValueOrDefault("Result"),
        TotalDuration = data.TryGetValue("PerformanceDuration", out var duration) && data.TryGetValue("Latency", out var latency)
            ? long.Parse(duration, CultureInfo.InvariantCulture) + long.Parse(latency, CultureInfo.InvariantCulture)
            : null,
        SucceededAt = Date(data, "SucceededAt"),
        StateData = data,
    });

    public override JobList<FailedJobDto> FailedJobs(int from, int count) => StateList(FailedState.StateName, from, count, (row, data, loaded) => new FailedJobDto
    {
        Job = loaded.Job,
        InvocationData = loaded.InvocationData,
        LoadException = loaded.LoadException,
        InFailedState = true,
        Reason = row.StateReason,
        ExceptionDetails = data.GetValueOrDefault("ExceptionDetails"),
        ExceptionMessage = data.GetValueOrDefault("ExceptionMessage"),
        ExceptionType = data.GetValueOrDefault("ExceptionType"),
        FailedAt = Date(data, "FailedAt"),
        StateData = data,
    });

    public override JobList<DeletedJobDto> DeletedJobs(int from, int count) => StateList(DeletedState.StateName, from, count, (row, data, loaded) => new DeletedJobDto
    {
        Job = loaded.Job,
        InvocationData = loaded.InvocationData,
        LoadException = loaded.LoadException,
        InDeletedState = true,
        DeletedAt = Date(data, "DeletedAt"),
        StateData = data,
    });

    public override JobList<AwaitingJobDto> AwaitingJobs(int from, int count) => StateList(AwaitingState.StateName, from, count, (row, data, loaded) => new AwaitingJobDto
    {
        Job = loaded.Job,
        InvocationData = loaded.InvocationData,
        LoadException = loaded.LoadException,
        InAwaitingState = true,
        AwaitingAt = Date(data, "CreatedAt"),
        StateData = data,
    });

    private JobList<TDto> StateList<TDto>(string state, int from, int count, Func<JobRow, Dictionary<string, string>, Loaded, TDto> create)
        where TDto : class
    {
        var rows = storage.Use(c => c.Query<JobRow>(
            $"""
            SELECT j.Id, j.InvocationData, j.Arguments, j.CreatedAt, j.ExpireAt, j.StateName, s.Reason AS StateReason, s.Data AS StateData
            FROM {T.Job} j LEFT JOIN {T.State} s ON s.Id = j.StateId
            WHERE j.StateName = @state ORDER BY j.Id DESC LIMIT @count OFFSET @from
            """,
            new { state, from, count })).AsList();
        return new JobList<TDto>(rows.Select(row =>
        {
            var (job, invocation, exception) = Load(row);
            return Pair(row.Id, create(row, MySqlStorageConnection.StateDataOf(row.StateData), new Loaded(job, invocation, exception)));
        }));
    }

    private List<(JobRow Job, DateTime FetchedAt)> QueueRows(string queue, int from, int perPage, bool fetched)
    {
        var comparison = fetched ? ">=" : "<";
        return storage.Use(c => c.Query<JobRow, DateTime, (JobRow, DateTime)>(
            $"""
            SELECT j.Id, j.InvocationData, j.Arguments, j.CreatedAt, j.ExpireAt, j.StateName, s.Reason AS StateReason, s.Data AS StateData, q.FetchedAt
            FROM {T.JobQueue} q JOIN {T.Job} j ON j.Id = q.JobId LEFT JOIN {T.State} s ON s.Id = j.StateId
            WHERE q.Queue = @queue AND q.FetchedAt {comparison} UTC_TIMESTAMP(6) - INTERVAL @invisibility MICROSECOND
            ORDER BY q.Id LIMIT @perPage OFFSET @from
            """,
            (job, fetchedAt) => (job, fetchedAt),
            new { queue, from, perPage, invisibility = Invisibility },
            splitOn: "FetchedAt")).AsList();
    }

    private static DateTime? Date(Dictionary<string, string> data, string key) =>
        data.TryGetValue(key, out var value) ? JobHelper.DeserializeNullableDateTime(value) : null;

    private static KeyValuePair<string, T> Pair<T>(long id, T value) => new(id.ToString(CultureInfo.InvariantCulture), value);

    /// <summary>A row's job as far as it could be loaded.</summary>
    private sealed record Loaded(Job? Job, InvocationData? InvocationData, JobLoadException? LoadException);
}
