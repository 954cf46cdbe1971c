using System.Diagnostics;
using System.Globalization;

namespace Archiver.Bench.Measurement;

/// <summary>
/// Runs one child process under GNU time (<c>/usr/bin/time -f "%U %S %M"</c>) and reads its CPU
/// seconds and peak RSS from there. time waits for exactly that child with wait4(), so the figures
/// are the kernel's own accounting of that one process over its whole life, the last milliseconds
/// included; polling /proc/&lt;pid&gt;/status would miss the end, and getrusage(RUSAGE_CHILDREN) in this
/// process would mix every child it ever waited for (its ru_maxrss is a maximum over all of them).
/// `dotnet archiver.dll` runs the application inside the dotnet host process, so the figures are
/// the archiver's own. Wall time is measured here around the child.
/// </summary>
internal static class MeasuredProcess
{
    public const string TimePath = "/usr/bin/time";

    public static async Task<MeasuredRun> RunAsync(
        string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, Action<string> onLine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(onLine);
        if (!File.Exists(TimePath))
        {
            throw new InvalidOperationException($"{TimePath} (GNU time) is missing: apt-get install -y time (bench/run.sh does it)");
        }

        var report = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(TimePath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["-o", report, "-f", "%U %S %M", fileName, .. arguments])
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var output = new List<string>();
            void Collect(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (output)
                {
                    output.Add(line);
                    onLine(line);
                }
            }

            var stopwatch = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
            process.OutputDataReceived += (_, e) => Collect(e.Data);
            process.ErrorDataReceived += (_, e) => Collect(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The harness stops with nothing left running behind it.
                process.Kill(entireProcessTree: true);
                throw;
            }

            stopwatch.Stop();
            var (user, system, rssKilobytes) = ParseTimeReport(await File.ReadAllTextAsync(report, cancellationToken).ConfigureAwait(false));
            return new MeasuredRun(process.ExitCode, stopwatch.Elapsed, user, system, rssKilobytes * 1024, output);
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>
    /// The last line of GNU time's report, "user system maxrss-in-KB"; lines before it (such as
    /// "Command exited with non-zero status 1") are time's own remarks.
    /// </summary>
    public static (double UserSeconds, double SystemSeconds, long PeakRssKilobytes) ParseTimeReport(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        var parts = last.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 3
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var user)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var system)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var rss))
        {
            return (user, system, rss);
        }

        throw new FormatException($"unexpected GNU time report: {text.Trim()}");
    }
}
