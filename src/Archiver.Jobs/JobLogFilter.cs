using System.Diagnostics;
using Hangfire.Server;
using Microsoft.Extensions.Logging;

namespace Archiver.Jobs;

/// <summary>
/// One Information line when each job starts and one when it ends (its method, arguments, seconds
/// and outcome), so the worker's log says what it did at the default level.
/// </summary>
public sealed class JobLogFilter(ILogger<JobLogFilter> logger) : IServerFilter
{
    private const string StartedKey = "archiver-started";

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
        Log.JobStarted(logger, context.BackgroundJob.Id, Describe(context));
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = context.Items.TryGetValue(StartedKey, out var started) && started is long ticks ? Stopwatch.GetElapsedTime(ticks).TotalSeconds : 0;
        var outcome = context.Canceled ? "interrupted" : context.Exception is { } ex ? "failed: " + (ex.InnerException ?? ex).Message : context.Result is string result ? "succeeded: " + result : "succeeded";
        Log.JobEnded(logger, context.BackgroundJob.Id, Describe(context), seconds, outcome);
    }

    private static string Describe(PerformContext context)
    {
        var job = context.BackgroundJob.Job;
        return job is null ? "(unknown job)" : $"{job.Type.Name}.{job.Method.Name}({string.Join(", ", job.Args.Select(a => a?.ToString() ?? "null"))})";
    }
}
