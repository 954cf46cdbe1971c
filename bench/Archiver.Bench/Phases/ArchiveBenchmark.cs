using Archiver.Bench.Measurement;

namespace Archiver.Bench.Phases;

/// <summary>Runs the real CLI (<c>dotnet archiver.dll archive run --campaign &lt;id&gt;</c>) as a measured child process.</summary>
internal static class ArchiveBenchmark
{
    public static async Task<ArchiveResult> RunAsync(
        string label, string cliPath, long campaignId, long rows, IReadOnlyDictionary<string, string> environment, Func<CancellationToken, Task<bool>> flagged, CancellationToken cancellationToken = default,
        params string[] extraArguments)
    {
        ArgumentNullException.ThrowIfNull(flagged);
        BenchConsole.Line($"dotnet {Path.GetFileName(cliPath)} archive run --campaign {campaignId} {string.Join(' ', extraArguments)}".TrimEnd());
        var run = await MeasuredProcess.RunAsync("dotnet", [cliPath, "archive", "run", "--campaign", campaignId.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extraArguments],
            environment, line => BenchConsole.Line("archiver | " + line), cancellationToken).ConfigureAwait(false);
        var result = new ArchiveResult(label, rows, run, await flagged(cancellationToken).ConfigureAwait(false));
        BenchConsole.Line($"{label}: exit {run.ExitCode}, {(result.Flagged ? "flagged" : "NOT flagged")}, {run.Wall.TotalSeconds:F1} s, {result.DocumentsPerSecond:N0} documents/s, " +
            $"CPU {run.CpuSeconds:F1} s, peak RSS {run.PeakRssMegabytes:F0} MB");
        return result;
    }
}
