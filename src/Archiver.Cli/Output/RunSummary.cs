using System.Globalization;
using Archiver.Engine;

namespace Archiver.Cli.Output;

/// <summary>The statistics block every run ends with.</summary>
internal static class RunSummary
{
    public static void Write(TextWriter output, ArchiveRunResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        var docs = result.Documents;
        output.WriteLine();
        output.WriteLine(result.DryRun ? "Archive dry run (nothing written)" : "Archive run summary");
        if (result.DryRun)
        {
            output.WriteLine(string.Create(c, $"  campaigns   {result.WouldArchive:N0} would be archived, {result.Skipped:N0} skipped, {result.Failed:N0} failed"));
            output.WriteLine(string.Create(c, $"  rows        {result.RowsRead:N0} would be copied in {result.Campaigns.Sum(x => x.Batches):N0} batches"));
        }
        else
        {
            output.WriteLine(string.Create(c, $"  campaigns   {result.Archived:N0} archived, {result.Skipped:N0} skipped, {result.Failed:N0} failed"));
            output.WriteLine(string.Create(c, $"  rows        {result.RowsRead:N0} read"));
            output.WriteLine(string.Create(c, $"  documents   {docs.Written:N0} written ({docs.Created:N0} new, {docs.Updated:N0} updated), {docs.Unchanged:N0} unchanged, {docs.Removed:N0} removed, {docs.Conflicts:N0} conflicts resolved"));
            var rollups = result.Rollups;
            output.WriteLine(string.Create(c, $"  rollups     {rollups.Written:N0} written ({rollups.Created:N0} new, {rollups.Updated:N0} updated), {rollups.Unchanged:N0} unchanged, {rollups.Removed:N0} removed"));
            output.WriteLine(string.Create(c, $"  time        {result.Elapsed.TotalSeconds:F1} s (verifying {result.Verifying.TotalSeconds:F1} s), {result.DocumentsPerSecond:N0} documents/s"));
        }

        output.WriteLine(string.Create(c, $"  stopped     {result.StopReason}"));
    }
}
