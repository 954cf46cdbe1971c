using System.Globalization;
using System.Text;

namespace Archiver.Bench.Report;

/// <summary>The run's figures as a BENCHMARKS.md section and as the closing table on stdout.</summary>
internal static class ReportWriter
{
    public static string Markdown(BenchReport report, IReadOnlyList<FigureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(rows);
        var main = report.Campaigns[0];
        var rss = report.Campaigns[1];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## {report.Started:yyyy-MM-dd HH:mm} UTC: {report.Note}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- machine: {report.Machine.Cores} cores, {report.Machine.CpuModel}, {report.Machine.MemoryGigabytes:F1} GB RAM, {report.Machine.OperatingSystem}\n");
        text.Append(CultureInfo.InvariantCulture, $"- versions: MariaDB {report.Versions.MariaDb}; CouchDB side {report.Versions.CouchDb}; {report.Versions.DotNet}; {report.Versions.PtArchiver}\n");
        text.Append(CultureInfo.InvariantCulture, $"- sizes: one ended contest of {main.Entries:N0} entries over two days ({main.Minutes:N0} minutes, so as many rollups), one of {rss.Entries:N0} for the RSS comparison; `_bulk_docs` batches of {report.BatchSize:N0}, {report.Ceiling.Concurrency} in flight\n");
        if (report.ShardsEntries > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"- shards scenario: one contest of {report.ShardsEntries:N0} entries archived from an empty archive unsharded, then as {Phases.ShardsBenchmark.Shards} shards with 1, 2 and 4 copied at once (`archive run --parallel K`)\n");
        }

        text.Append("- command: `./bench/run.sh").Append(main.Entries == 200_000 ? "" : main.Entries == 1_000_000 ? " --million" : $" --entries {main.Entries}")
            .Append(report.ShardsEntries > 0 ? $" --shards-entries {report.ShardsEntries}" : "")
            .Append(report.Server == BenchOptions.PouchDbServer ? "" : $" --server {report.Server}").Append("`\n\n");
        text.Append("| figure | value | target | status |\n|---|---|---|---|\n");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Cell(row.Figure)} | {Cell(row.Value)} | {Cell(row.Target)} | {Cell(row.Status)} |\n");
        }

        var failures = Failures(report).ToList();
        if (failures.Count > 0)
        {
            text.Append("\nFailures (last lines of output):\n\n");
            foreach (var (what, tail) in failures)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {what}:\n\n  ```\n  {tail.Replace("\n", "\n  ", StringComparison.Ordinal)}\n  ```\n");
            }
        }

        return text.ToString();
    }

    public static void WriteConsole(TextWriter output, IReadOnlyList<FigureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var widths = new[] { rows.Max(r => r.Figure.Length), rows.Max(r => r.Value.Length), rows.Max(r => r.Target.Length) };
        output.WriteLine();
        output.WriteLine("Benchmark summary");
        foreach (var row in rows)
        {
            output.WriteLine($"  {row.Figure.PadRight(widths[0])}  {row.Value.PadRight(widths[1])}  {row.Target.PadRight(widths[2])}  {row.Status}".TrimEnd());
        }
    }

    /// <summary>Runs that did not end as they should, with their last lines: a failed figure is never silent.</summary>
    public static IEnumerable<(string What, string Tail)> Failures(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var archive in new[] { report.Archive, report.RssArchive, report.SinkArchive }.Concat(report.Shards).Where(a => !a.Succeeded))
        {
            yield return (archive.Label, archive.Run.Tail());
        }

        foreach (var purge in new[] { report.Purge, report.PtArchiver }.Where(p => p.Run is not null && !p.Succeeded))
        {
            yield return (purge.Tool, purge.Run!.Tail());
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
