namespace Archiver.Bench.Measurement;

/// <summary>A child process as measured from outside: exit code, wall time, CPU seconds and peak resident set size.</summary>
internal sealed record MeasuredRun(int ExitCode, TimeSpan Wall, double UserSeconds, double SystemSeconds, long PeakRssBytes, IReadOnlyList<string> Output)
{
    public double CpuSeconds => UserSeconds + SystemSeconds;

    public double PeakRssMegabytes => PeakRssBytes / (1024.0 * 1024.0);

    /// <summary>The last lines the process printed, for a failure's explanation.</summary>
    public string Tail(int lines = 5) => string.Join(Environment.NewLine, Output.TakeLast(lines));
}
