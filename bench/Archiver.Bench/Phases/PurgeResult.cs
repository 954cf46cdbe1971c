using Archiver.Bench.Measurement;

namespace Archiver.Bench.Phases;

/// <summary>
/// A purge timed from outside: rows counted in MySQL before and after, the measured run, and the
/// delete phase's rate when the tool reported one. <see cref="Unavailable"/> says why there is none.
/// </summary>
internal sealed record PurgeResult(string Tool, long RowsBefore, long RowsAfter, MeasuredRun? Run, double? DeletePhaseRowsPerSecond, string? Unavailable)
{
    public long RowsDeleted => RowsBefore - RowsAfter;

    public bool Succeeded => Run is { ExitCode: 0 } && RowsAfter == 0 && RowsBefore > 0;

    public double RowsPerSecond => Run is null ? 0 : RowsDeleted / Math.Max(Run.Wall.TotalSeconds, 1e-9);

    public static PurgeResult NotAvailable(string tool, string why) => new(tool, 0, 0, null, null, why);
}
