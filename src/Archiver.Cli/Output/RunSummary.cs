using System.Diagnostics;
using System.Globalization;
using Archiver.Engine;

namespace Archiver.Cli.Output;

/// <summary>
/// The statistics every run ends with: a table with one line per campaign, then the run's totals,
/// the resources it used and why it stopped.
/// </summary>
internal static class RunSummary
{
    private static readonly string[] Headings = ["campaign", "outcome", "rows", "written", "unchanged", "conflicts", "rollups", "seconds", "docs/s"];

    public static void Write(TextWriter output, ArchiveRunResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        var docs = result.Documents;
        output.WriteLine();
        output.WriteLine(result.DryRun ? "Archive dry run (nothing written)" : "Archive run summary");
        if (result.Campaigns.Count > 0)
        {
            WriteTable(output, result);
        }

        if (result.DryRun)
        {
            output.WriteLine(string.Create(c, $"  campaigns   {result.WouldArchive:N0} would be archived, {result.Skipped:N0} skipped, {result.Failed:N0} failed"));
            output.WriteLine(string.Create(c, $"  rows        {result.RowsRead:N0} would be copied in {result.Campaigns.Sum(x => x.Batches):N0} batches"));
        }
        else
        {
            var stopped = (result.Stopped > 0 ? string.Create(c, $", {result.Stopped:N0} stopped by the time limit") : "")
                + (result.Interrupted > 0 ? string.Create(c, $", {result.Interrupted:N0} interrupted") : "");
            output.WriteLine(string.Create(c, $"  campaigns   {result.Archived:N0} archived, {result.Skipped:N0} skipped, {result.Failed:N0} failed{stopped}"));
            output.WriteLine(string.Create(c, $"  rows        {result.RowsRead:N0} read"));
            output.WriteLine(string.Create(c, $"  documents   {docs.Written:N0} written ({docs.Created:N0} new, {docs.Updated:N0} updated), {docs.Unchanged:N0} unchanged, {docs.Removed:N0} removed, {docs.Conflicts:N0} conflicts resolved"));
            var rollups = result.Rollups;
            output.WriteLine(string.Create(c, $"  rollups     {rollups.Written:N0} written ({rollups.Created:N0} new, {rollups.Updated:N0} updated), {rollups.Unchanged:N0} unchanged, {rollups.Removed:N0} removed"));
            output.WriteLine(string.Create(c, $"  time        {result.Elapsed.TotalSeconds:F1} s (verifying {result.Verifying.TotalSeconds:F1} s), {result.DocumentsPerSecond:N0} documents/s"));
        }

        using (var process = Process.GetCurrentProcess())
        {
            output.WriteLine(string.Create(c, $"  resources   {process.TotalProcessorTime.TotalSeconds:F1} s CPU, peak RSS {process.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB"));
        }

        output.WriteLine(string.Create(c, $"  stopped     {result.StopReason}"));
    }

    private static void WriteTable(TextWriter output, ArchiveRunResult result)
    {
        var rows = new List<string[]> { Headings };
        foreach (var campaign in result.Campaigns)
        {
            var documents = campaign.Documents.Written + campaign.Documents.Unchanged;
            var seconds = campaign.Elapsed.TotalSeconds;
            rows.Add(
            [
                campaign.CampaignId.ToString(CultureInfo.InvariantCulture),
                campaign.Outcome switch
                {
                    CampaignOutcome.WouldArchive => "would archive",
                    var outcome => outcome.ToString().ToLowerInvariant(),
                },
                N(campaign.RowsRead),
                N(campaign.Documents.Written),
                N(campaign.Documents.Unchanged),
                N(campaign.Documents.Conflicts),
                N(campaign.Rollups.Written + campaign.Rollups.Unchanged),
                seconds.ToString("F1", CultureInfo.InvariantCulture),
                seconds > 0 ? N((long)(documents / seconds)) : "-",
            ]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            // Text columns to the left, numbers to the right, as in any statistics table.
            var cells = row.Select((cell, i) => i < 2 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]));
            output.WriteLine("  " + string.Join("  ", cells).TrimEnd());
        }

        output.WriteLine();
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
