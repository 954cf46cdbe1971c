namespace Archiver.Engine;

/// <summary>A run's clock and its time limit (<c>--max-runtime</c>): the one way an archive or a purge stops early.</summary>
internal sealed class RunLimit(TimeSpan? maxRuntime, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public TimeSpan? MaxRuntime => maxRuntime;

    public TimeSpan Elapsed => time.GetElapsedTime(_started);

    /// <summary>True once the run has lasted <see cref="MaxRuntime"/>: no new campaign or batch is started.</summary>
    public bool Expired => maxRuntime is { } max && Elapsed >= max;
}
