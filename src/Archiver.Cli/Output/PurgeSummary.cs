using System.Globalization;
using Archiver.Purge;

namespace Archiver.Cli.Output;

/// <summary>The statistics block every purge ends with.</summary>
internal static class PurgeSummary
{
    public static void Write(TextWriter output, PurgeRunResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        if (result.DryRun)
        {
            output.WriteLine("Purge dry run (nothing written)");
            output.WriteLine(string.Create(c, $"  campaigns   {result.WouldPurge:N0} would be purged, {result.Failed:N0} refused"));
            output.WriteLine(string.Create(c, $"  rows        {result.Rows:N0} would be verified and deleted in {result.Batches:N0} batches"));
        }
        else
        {
            output.WriteLine("Purge summary");
            output.WriteLine(string.Create(c, $"  campaigns   {result.Purged:N0} purged, {result.Skipped:N0} skipped, {result.Blocked:N0} blocked (verification failed), {result.Failed:N0} failed, {result.Stopped:N0} stopped"));
            output.WriteLine(string.Create(c, $"  rows        {result.RowsVerified:N0} verified, {result.RowsDeleted:N0} deleted in {result.Batches:N0} batches"));
            output.WriteLine(string.Create(c, $"  time        {result.Elapsed.TotalSeconds:F1} s: verifying {result.Verifying.TotalSeconds:F1} s, deleting {result.Deleting.TotalSeconds:F1} s"));
            output.WriteLine(string.Create(c, $"  rate        {result.DeleteRowsPerSecond:N0} rows/s deleting, {result.RowsPerSecond:N0} rows/s overall"));
        }

        output.WriteLine(string.Create(c, $"  stopped     {result.StopReasonText}"));
    }
}
