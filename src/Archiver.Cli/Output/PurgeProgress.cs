using System.Diagnostics;
using System.Globalization;
using Archiver.Purge;
using Archiver.Source;

namespace Archiver.Cli.Output;

/// <summary>The purge's progress as plain lines, like <see cref="ConsoleProgress"/>: a line per phase, one every couple of seconds while deleting, one per outcome.</summary>
internal sealed class PurgeProgress(TextWriter output) : IPurgeProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private long _started;
    private long _lastLine;

    public void Verifying(CampaignInfo campaign, long rows) =>
        output.WriteLine(Format($"campaign {campaign.Id} ({campaign.Name}): verifying {rows:N0} rows against the archive"));

    public void Deleting(CampaignInfo campaign, long rows)
    {
        _started = _lastLine = Stopwatch.GetTimestamp();
        output.WriteLine(Format($"  verified; deleting {rows:N0} rows"));
    }

    public void RowsDeleted(CampaignInfo campaign, long rowsDeleted, long rows)
    {
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_lastLine, now) < Interval)
        {
            return;
        }

        _lastLine = now;
        var seconds = Stopwatch.GetElapsedTime(_started, now).TotalSeconds;
        var rate = seconds > 0 ? rowsDeleted / seconds : 0;
        var eta = rate > 0 && rows > rowsDeleted ? $", ETA {(rows - rowsDeleted) / rate:F0} s" : "";
        var percent = rows > 0 ? 100.0 * rowsDeleted / rows : 100;
        output.WriteLine(Format($"  {rowsDeleted:N0}/{rows:N0} rows deleted ({percent:F0}%), {rate:N0} rows/s{eta}"));
    }

    public void CampaignFinished(PurgeCampaignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rate = result.Deleting.TotalSeconds > 0 ? result.RowsDeleted / result.Deleting.TotalSeconds : 0;
        output.WriteLine(result.Outcome switch
        {
            PurgeOutcome.Purged => Format($"purged {result.Label}: {result.RowsDeleted:N0} rows in {result.Batches:N0} batches, verifying {result.Verifying.TotalSeconds:F1} s ({string.Join(", ", result.VerifiedBy)}), deleting {result.Deleting.TotalSeconds:F1} s ({rate:N0} rows/s); checksums {string.Join(" ", result.Checksums)}"),
            PurgeOutcome.WouldPurge => $"dry run: {result.Label}: {result.Reason}",
            PurgeOutcome.Skipped => $"skipped {result.Label}: {result.Reason}",
            PurgeOutcome.Stopped => Format($"STOPPED {result.Label}: {result.Reason}"),
            PurgeOutcome.Blocked => $"BLOCKED {result.Label}: {result.Reason}",
            _ => $"FAILED {result.Label}: {result.Reason}",
        });
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
