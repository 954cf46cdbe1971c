using System.Diagnostics;
using System.Globalization;
using Archiver.Bench.Measurement;

namespace Archiver.Bench.Phases;

/// <summary>
/// Our purge (<c>archiver purge --campaign</c>, when this build has it) and pt-archiver, each on its
/// own identical copy of the table, each timed from outside and checked by counting the campaign's
/// rows in MySQL before and after, rather than trusting either tool's text.
/// </summary>
internal static class PurgeBenchmark
{
    /// <summary>Whether the CLI lists a <c>purge</c> command in its help.</summary>
    public static async Task<bool> HasPurgeCommandAsync(string cliPath, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cliPath);
        start.ArgumentList.Add("--help");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var help = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await errors.ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return help.Split('\n').Any(line => line.TrimStart().StartsWith("purge", StringComparison.Ordinal) && line.StartsWith("  ", StringComparison.Ordinal));
    }

    public static async Task<PurgeResult> RunOursAsync(
        string cliPath, long campaignId, IReadOnlyDictionary<string, string> environment, Func<CancellationToken, Task<long>> count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(count);
        if (!await HasPurgeCommandAsync(cliPath, cancellationToken).ConfigureAwait(false))
        {
            return PurgeResult.NotAvailable("archiver purge", "not available in this build");
        }

        var before = await count(cancellationToken).ConfigureAwait(false);
        var id = campaignId.ToString(CultureInfo.InvariantCulture);
        BenchConsole.Line($"dotnet {Path.GetFileName(cliPath)} purge --campaign {id} ({before:N0} rows)");
        var run = await MeasuredProcess.RunAsync("dotnet", [cliPath, "purge", "--campaign", id], environment,
            line => BenchConsole.Line("archiver | " + line), cancellationToken).ConfigureAwait(false);
        var after = await count(cancellationToken).ConfigureAwait(false);
        var result = new PurgeResult("archiver purge", before, after, run, PurgeOutput.DeletePhaseRowsPerSecond(run.Output, before - after), null);
        Report(result);
        return result;
    }

    public static async Task<PurgeResult> RunPtArchiverAsync(
        string server, string user, string password, string database, long campaignId, Func<CancellationToken, Task<long>> count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(count);
        var tool = FindOnPath("pt-archiver");
        if (tool is null)
        {
            return PurgeResult.NotAvailable("pt-archiver", "pt-archiver is not installed (apt-get install -y percona-toolkit; bench/run.sh does it)");
        }

        var before = await count(cancellationToken).ConfigureAwait(false);
        string[] arguments =
        [
            "--source", $"h={server},u={user},p={password},D={database},t=contest_campaign_entries",
            "--where", $"campaign_id={campaignId.ToString(CultureInfo.InvariantCulture)}",
            "--purge", "--limit", "1000", "--commit-each", "--bulk-delete", "--statistics",
            // The table is utf8mb4 and so is the connection; the check only refuses to run on a
            // mismatch between DBD::mysql's and the table's names for it, which says nothing here.
            "--no-check-charset",
        ];
        BenchConsole.Line($"pt-archiver {string.Join(' ', arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)).Replace($"p={password},", "p=***,", StringComparison.Ordinal)} ({before:N0} rows)");
        var run = await MeasuredProcess.RunAsync(tool, arguments, new Dictionary<string, string>(), line => BenchConsole.Line("pt-archiver | " + line), cancellationToken).ConfigureAwait(false);
        var after = await count(cancellationToken).ConfigureAwait(false);
        var result = new PurgeResult("pt-archiver", before, after, run, null, null);
        Report(result);
        return result;
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static void Report(PurgeResult result) =>
        BenchConsole.Line($"{result.Tool}: exit {result.Run!.ExitCode}, {result.RowsDeleted:N0} of {result.RowsBefore:N0} rows deleted in {result.Run.Wall.TotalSeconds:F1} s, {result.RowsPerSecond:N0} rows/s" +
            (result.DeletePhaseRowsPerSecond is { } rate ? $" (delete phase {rate:N0} rows/s)" : ""));
}
