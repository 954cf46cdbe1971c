using System.Diagnostics;
using System.Globalization;
using Archiver.Engine;
using Archiver.Source;

namespace Archiver.Cli.Output;

/// <summary>
/// Progress of a run as plain lines, for redirected output (logs, pipes): one line per phase and one
/// per interval while copying or verifying, and one line per campaign saying what happened to it.
/// On a terminal <see cref="LiveProgress"/> shows the same as live bars.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output) : IArchiveProgress
{
    /// <summary>Often enough to see a run move in a log, rare enough to read it.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private long _phaseStarted;
    private long _lastLine;

    public void CampaignStarted(CampaignInfo campaign, long expectedRows)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        _phaseStarted = Stopwatch.GetTimestamp();
        _lastLine = 0;
        output.WriteLine(Format($"campaign {campaign.Id} ({campaign.Name}): archiving {expectedRows:N0} rows"));
    }

    public void RowsArchived(CampaignInfo campaign, long rowsRead, long expectedRows, BatchTotals documents)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        Report(campaign, "copying", rowsRead, expectedRows, Format($", {documents.Written:N0} written, {documents.Unchanged:N0} unchanged"));
    }

    public void Verifying(CampaignInfo campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        _phaseStarted = Stopwatch.GetTimestamp();
        _lastLine = 0;
        output.WriteLine(Format($"  verifying campaign {campaign.Id}: every set's documents and rollups against MySQL"));
    }

    public void RowsVerified(CampaignInfo campaign, long rowsVerified, long expectedRows)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        Report(campaign, "verifying", rowsVerified, expectedRows, "");
    }

    public void RefreshingViews(string database) => output.WriteLine(Format($"  refreshing the view indexes of {database}"));

    public void CampaignFinished(CampaignResult result) => output.WriteLine(Describe(result));

    /// <summary>The one line that says what happened to a campaign, plain or live.</summary>
    public static string Describe(CampaignResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            CampaignOutcome.Archived => Format($"archived {result.Label}: {result.RowsRead:N0} rows, {result.Documents.Written:N0} written, {result.Documents.Unchanged:N0} unchanged, {result.Rollups.Written + result.Rollups.Unchanged:N0} rollups, {result.Elapsed.TotalSeconds:F1} s (verifying {result.Verifying.TotalSeconds:F1} s); checksums {string.Join(" ", result.Checksums)}"),
            CampaignOutcome.WouldArchive => $"dry run: {result.Label}: {result.Reason}",
            CampaignOutcome.Skipped => $"skipped {result.Label}: {result.Reason}",
            CampaignOutcome.Stopped => $"stopped {result.Label}: {result.Reason}",
            CampaignOutcome.Interrupted => $"interrupted {result.Label}: {result.Reason}",
            _ => $"FAILED {result.Label}: {result.Reason}",
        };
    }

    internal static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void Report(CampaignInfo campaign, string phase, long done, long expected, string detail)
    {
        var now = Stopwatch.GetTimestamp();
        if (_lastLine != 0 && Stopwatch.GetElapsedTime(_lastLine, now) < Interval)
        {
            return;
        }

        _lastLine = now;
        var seconds = Stopwatch.GetElapsedTime(_phaseStarted, now).TotalSeconds;
        var rate = seconds > 0 ? done / seconds : 0;
        var eta = rate > 0 && expected > done ? Format($", ETA {(expected - done) / rate:F0} s") : "";
        var fraction = expected > 0 ? Math.Min(1.0, (double)done / expected) : 1.0;
        output.WriteLine(Format($"  {phase} campaign {campaign.Id}: {done:N0}/{expected:N0} rows ({fraction * 100:F0}%){detail}, {rate:N0} rows/s{eta}"));
    }
}
