namespace Archiver.Jobs;

/// <summary>The <c>Worker</c> configuration section of <c>archiver worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Jobs run at once by this process (each archive job is one campaign).</summary>
    public int WorkerCount { get; set; } = 2;

    /// <summary>The schedules; relative paths are taken from the settings file's folder (else the current one).</summary>
    public string JobsDirectory { get; set; } = "jobs";

    /// <summary>
    /// How long a stopping worker waits for its running jobs after cancelling them: the engine stops
    /// at the next batch, well within this. A job still running then is abandoned and delivered again
    /// after the storage's invisibility timeout.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker looks for scheduled and recurring jobs that are due.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// When set (1 to 65535), the worker serves its metrics (the <c>Archiver</c> meter and the
    /// runtime's) in Prometheus text format at <c>http://127.0.0.1:{port}/metrics</c>; 0: not served.
    /// </summary>
    public int MetricsPort { get; set; }
}
