using Archiver.Bench.Measurement;

namespace Archiver.Bench.Phases;

/// <summary>One <c>archiver archive run --campaign</c> as a child process: rows, the measured run, and whether the campaign ended up flagged.</summary>
internal sealed record ArchiveResult(string Label, long Rows, MeasuredRun Run, bool Flagged)
{
    public bool Succeeded => Run.ExitCode == 0 && Flagged;

    /// <summary>Rows over the whole run's wall time: start-up, copy, rollups, verification and flag included.</summary>
    public double DocumentsPerSecond => Rows / Math.Max(Run.Wall.TotalSeconds, 1e-9);
}
