using System.Diagnostics;
using System.Globalization;
using Archiver.Engine;
using Archiver.Source;

namespace Archiver.Cli.Output;

/// <summary>
/// Progress as plain lines: one when a campaign starts, one every couple of seconds with rows,
/// rate and ETA, and one when it ends. Plain lines read the same on a terminal and in a log file.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output) : IArchiveProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private long _started;
    private long _lastLine;

    public void CampaignStarted(CampaignInfo campaign, long expectedRows)
    {
        _started = _lastLine = Stopwatch.GetTimestamp();
        output.WriteLine(Format($"campaign {campaign.Id} ({campaign.Name}): archiving {expectedRows:N0} rows"));
    }

    public void RowsArchived(CampaignInfo campaign, long rowsRead, long expectedRows, BatchTotals documents)
    {
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_lastLine, now) < Interval)
        {
            return;
        }

        _lastLine = now;
        var seconds = Stopwatch.GetElapsedTime(_started, now).TotalSeconds;
        var rate = seconds > 0 ? rowsRead / seconds : 0;
        var eta = rate > 0 && expectedRows > rowsRead ? $", ETA {(expectedRows - rowsRead) / rate:F0} s" : "";
        var percent = expectedRows > 0 ? 100.0 * rowsRead / expectedRows : 100;
        output.WriteLine(Format($"  {rowsRead:N0}/{expectedRows:N0} rows ({percent:F0}%), {documents.Written:N0} written, {documents.Unchanged:N0} unchanged, {rate:N0} docs/s{eta}"));
    }

    public void Verifying(CampaignInfo campaign) =>
        output.WriteLine(Format($"  verifying campaign {campaign.Id}: every set's documents and rollups against MySQL"));

    public void CampaignFinished(CampaignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var line = result.Outcome switch
        {
            CampaignOutcome.Archived => Format($"archived {result.Label}: {result.RowsRead:N0} rows, {result.Documents.Written:N0} written, {result.Documents.Unchanged:N0} unchanged, {result.Rollups.Written + result.Rollups.Unchanged:N0} rollups, {result.Elapsed.TotalSeconds:F1} s (verifying {result.Verifying.TotalSeconds:F1} s); checksums {string.Join(" ", result.Checksums)}"),
            CampaignOutcome.WouldArchive => $"dry run: {result.Label}: {result.Reason}",
            CampaignOutcome.Skipped => $"skipped {result.Label}: {result.Reason}",
            _ => $"FAILED {result.Label}: {result.Reason}",
        };
        output.WriteLine(line);
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
